package org.bastion.oauth.application;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuthorizeRateLimitTest {

    /** A clock the test moves by hand. */
    private static final class Hand extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void theLimitHoldsWithinAnyMinuteAndFreesAsTheOldestLeave() {
        Hand clock = new Hand();
        AuthorizeRateLimit limit = new AuthorizeRateLimit(3, clock);
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        clock.advance(Duration.ofSeconds(20));
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        assertEquals(Duration.ofSeconds(40), limit.admit("192.0.2.1"), "the fourth waits until the first is a minute old");
        assertEquals(Duration.ZERO, limit.admit("192.0.2.2"), "another address has its own count");
        clock.advance(Duration.ofSeconds(40));
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        assertEquals(Duration.ofSeconds(20), limit.admit("192.0.2.1"), "the two made at 20 s are still in the window");
        clock.advance(Duration.ofSeconds(20));
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        assertEquals(Duration.ofSeconds(40), limit.admit("192.0.2.1"), "admitted at 60 s, 80 s and 80 s: the next at 120 s");
    }

    @Test
    void refusedRequestsAreNotCounted() {
        Hand clock = new Hand();
        AuthorizeRateLimit limit = new AuthorizeRateLimit(1, clock);
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        for (int i = 0; i < 100; i++) {
            clock.advance(Duration.ofMillis(500));
            assertEquals(Duration.ofSeconds(60).minusMillis(500L * (i + 1)), limit.admit("192.0.2.1"));
        }
        clock.advance(Duration.ofSeconds(10));
        assertEquals(Duration.ZERO, limit.admit("192.0.2.1"), "a minute after the one admission, whatever was refused meanwhile");
    }

    @Test
    void zeroTurnsTheLimitOff() {
        AuthorizeRateLimit limit = new AuthorizeRateLimit(0, new Hand());
        for (int i = 0; i < 1000; i++) {
            assertEquals(Duration.ZERO, limit.admit("192.0.2.1"));
        }
    }

    @Test
    void ipv6AddressesCountByTheirSlash64() {
        assertEquals("20010db800000001/64", AuthorizeRateLimit.source("2001:db8:0:1::17"));
        assertEquals("20010db800000001/64", AuthorizeRateLimit.source("[2001:db8:0:1:ffff:ffff:ffff:ffff]"));
        assertEquals("fe80000000000000/64", AuthorizeRateLimit.source("fe80::1%eth0"));
        assertEquals("10.0.0.1", AuthorizeRateLimit.source("::ffff:10.0.0.1"));
        assertEquals("192.0.2.1", AuthorizeRateLimit.source("192.0.2.1"));
        assertEquals("unknown", AuthorizeRateLimit.source(null));
        assertEquals("not:an:address", AuthorizeRateLimit.source("not:an:address"));
        Hand clock = new Hand();
        AuthorizeRateLimit limit = new AuthorizeRateLimit(1, clock);
        assertEquals(Duration.ZERO, limit.admit("2001:db8:0:1::a"));
        assertEquals(Duration.ofMinutes(1), limit.admit("2001:db8:0:1::b"), "the same /64");
        assertEquals(Duration.ZERO, limit.admit("2001:db8:0:2::a"));
    }
}
