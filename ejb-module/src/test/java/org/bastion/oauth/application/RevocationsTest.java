package org.bastion.oauth.application;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RevocationsTest {

    private static final Instant ISSUED = Instant.parse("2026-12-03T10:15:30.123Z");

    @Test
    void aJtiCarriesItsGrantAndItsIssueTimeToTheMillisecond() {
        String grant = "0b6f3c1e-2a4d-4f7e-9c1a-5e8d7f6a4b3c";
        String jti = Revocations.jtiOf(grant, ISSUED);
        assertTrue(jti.length() <= 64, jti + " fits the record's jti column");
        assertEquals(grant, Revocations.grantOf(jti));
        assertEquals(ISSUED, Revocations.issuedAt(jti, Instant.ofEpochSecond(ISSUED.getEpochSecond())));
        assertNotEquals(jti, Revocations.jtiOf(grant, ISSUED), "random part");
    }

    @Test
    void aTokenWithoutAGrantNamesNone() {
        String jti = Revocations.jtiOf(null, ISSUED);
        assertNull(Revocations.grantOf(jti));
        assertEquals(ISSUED, Revocations.issuedAt(jti, null));
    }

    @Test
    void aJtiOfAnotherShapeFallsBackOnIatRoundedDown() {
        Instant iat = Instant.ofEpochSecond(ISSUED.getEpochSecond());
        assertNull(Revocations.grantOf("49fe82bc-0b1c-4a55-8f0e-3b6d2c1a9e7f"));
        assertEquals(iat, Revocations.issuedAt("49fe82bc-0b1c-4a55-8f0e-3b6d2c1a9e7f", iat));
        assertEquals(iat, Revocations.issuedAt("not-base-36!.abc", iat));
        assertEquals(Instant.EPOCH, Revocations.issuedAt("plain", null), "no time at all: every revocation applies");
    }
}
