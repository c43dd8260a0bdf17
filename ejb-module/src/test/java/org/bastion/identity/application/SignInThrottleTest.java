package org.bastion.identity.application;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SignInThrottleTest {

    @Test
    void anAccountNameWaitsFromTheFifthFailureDoublingUpToTwoMinutes() {
        String key = SignInThrottle.accountKey("Nurse");
        assertEquals("user:nurse", key, "names compare as the sign-in does, without case");
        assertEquals(Duration.ZERO, SignInThrottle.wait(key, 4));
        assertEquals(Duration.ofSeconds(15), SignInThrottle.wait(key, 5));
        assertEquals(Duration.ofSeconds(30), SignInThrottle.wait(key, 6));
        assertEquals(Duration.ofSeconds(60), SignInThrottle.wait(key, 7));
        assertEquals(Duration.ofMinutes(2), SignInThrottle.wait(key, 8));
        assertEquals(Duration.ofMinutes(2), SignInThrottle.wait(key, 1_000), "never a lock: the wait is capped");
    }

    @Test
    void anAddressWaitsFromTheFiftiethFailureUpToFifteenMinutes() {
        String key = SignInThrottle.addressKey("192.0.2.7");
        assertEquals(Duration.ZERO, SignInThrottle.wait(key, 49));
        assertEquals(Duration.ofSeconds(15), SignInThrottle.wait(key, 50));
        assertEquals(Duration.ofMinutes(15), SignInThrottle.wait(key, 60));
        assertEquals(Duration.ofMinutes(15), SignInThrottle.wait(key, Integer.MAX_VALUE));
    }
}
