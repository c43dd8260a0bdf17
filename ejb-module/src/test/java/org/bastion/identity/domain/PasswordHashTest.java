package org.bastion.identity.domain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHashTest {

    @Test
    void theRightPasswordMatchesAndAWrongOneDoesNot() {
        String stored = PasswordHash.hash("correct horse".toCharArray());

        assertTrue(PasswordHash.matches("correct horse".toCharArray(), stored));
        assertFalse(PasswordHash.matches("correct hors".toCharArray(), stored));
        assertFalse(PasswordHash.matches("".toCharArray(), stored));
    }

    @Test
    void storedFormNamesSchemeAndWorkFactorAndIsSaltedPerHash() {
        String first = PasswordHash.hash("secret".toCharArray());
        String second = PasswordHash.hash("secret".toCharArray());

        assertTrue(first.startsWith("pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$"), first);
        assertNotEquals(first, second);
        assertFalse(first.contains("secret"));
    }

    @Test
    void aHashWithAnotherWorkFactorStillVerifies() {
        // Hash written with 1 000 iterations by the same scheme: raising ITERATIONS must not lock users out.
        String stored = PasswordHash.hash("secret".toCharArray()).replaceFirst("\\$\\d+\\$", "\\$600000\\$");
        assertTrue(PasswordHash.matches("secret".toCharArray(), stored));
        String lowered = stored.replaceFirst("\\$600000\\$", "\\$1000\\$");
        assertFalse(PasswordHash.matches("secret".toCharArray(), lowered), "the iteration count is part of the hash");
    }

    @Test
    void damagedStoredHashesMatchNothingAndThrowNothing() {
        for (String damaged : new String[]{"", "plain", "pbkdf2-sha256$x$AAAA$AAAA", "pbkdf2-sha256$-5$AAAA$AAAA",
                "pbkdf2-sha256$1000$***$AAAA", "md5$1000$AAAA$AAAA", "pbkdf2-sha256$1000$AAAA"}) {
            assertFalse(PasswordHash.matches("secret".toCharArray(), damaged), damaged);
        }
    }
}
