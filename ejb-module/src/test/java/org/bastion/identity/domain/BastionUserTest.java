package org.bastion.identity.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BastionUserTest {

    private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

    private BastionUser user() {
        return new BastionUser("nurse", "secret-password".toCharArray(), Set.of(), now);
    }

    @Test
    void fiveFailuresInARowLockForFiveMinutes() {
        BastionUser user = user();
        for (int i = 0; i < 4; i++) {
            user.loginFailed(now);
        }
        assertEquals(0, user.lockedMinutes(now));
        user.loginFailed(now);
        assertEquals(5, user.lockedMinutes(now));
        assertEquals(0, user.lockedMinutes(now.plus(Duration.ofMinutes(5))));
    }

    @Test
    void eachFurtherFiveFailuresDoubleTheLockUpToAnHour() {
        BastionUser user = user();
        long[] expected = {5, 10, 20, 40, 60, 60};
        for (long minutes : expected) {
            for (int i = 0; i < 5; i++) {
                user.loginFailed(now);
            }
            assertEquals(minutes, user.lockedMinutes(now));
        }
    }

    @Test
    void aSuccessfulSignInResetsTheCount() {
        BastionUser user = user();
        for (int i = 0; i < 4; i++) {
            user.loginFailed(now);
        }
        user.loginSucceeded();
        user.loginFailed(now);
        assertEquals(0, user.lockedMinutes(now));
    }
}
