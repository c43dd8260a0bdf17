package org.bastion.oauth.application;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits the authorization requests a source address may start without a sign-in session: each
 * stores a pending request before anyone has signed in, so without a limit an anonymous client
 * could fill that table. At most {@code bastion.authorize.rate.limit} (BASTION_AUTHORIZE_RATE_LIMIT,
 * default 60, 0 for no limit; an admin may change it at run time as the setting authorize_rate_limit) within any minute: a sliding window over the times of an address's
 * latest admissions. An IPv6 address counts by its /64, which one host commonly holds whole.
 * <p>
 * Kept in memory, per node: at most {@link #MAX_ADDRESSES} addresses, the one seen least recently
 * forgotten first, so memory stays bounded (an address holds at most a limit's worth of times).
 */
@ApplicationScoped
public class AuthorizeRateLimit {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int DEFAULT_LIMIT = 60;
    static final int MAX_ADDRESSES = 10_000;

    @Inject
    BastionSettings settings;

    private int limit;
    private Clock clock;
    private final Map<String, Admissions> addresses = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Admissions> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    public AuthorizeRateLimit() {
    }

    AuthorizeRateLimit(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    @PostConstruct
    void configure() {
        limit = configured();
        clock = Clock.systemUTC();
    }

    /**
     * Counts a new authorization request from this address if the address is within its limit:
     * zero then; otherwise, counting nothing, how long until it may start another (Retry-After).
     */
    public Duration admit(String address) {
        String source = source(address);
        long now = clock.millis();
        synchronized (addresses) {
            int configured = settings == null ? limit : configured();
            if (configured != limit) {
                addresses.clear(); // the windows were sized for the old limit
                limit = configured;
            }
            if (limit <= 0) {
                return Duration.ZERO;
            }
            return Duration.ofMillis(addresses.computeIfAbsent(source, s -> new Admissions()).admit(now, limit));
        }
    }

    private int configured() {
        return settings.value("bastion.authorize.rate.limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
    }

    /** The key an address counts under: itself, or for IPv6 its /64 prefix. */
    static String source(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // in brackets a name is parsed as an IPv6 literal or refused, never looked up in DNS
            InetAddress parsed = InetAddress.getByName("[" + address.replace("[", "").replace("]", "").replaceFirst("%.*$", "") + "]");
            if (parsed instanceof Inet6Address) {
                return HexFormat.of().formatHex(parsed.getAddress(), 0, 8) + "/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** The times (ms) of an address's admissions, oldest first; a ring once it holds a limit's worth. */
    private static final class Admissions {
        private long[] times = new long[4];
        private int count;
        private int oldest;

        /** Zero when admitted (and counted), else the milliseconds until the oldest admission leaves the window. */
        long admit(long now, int limit) {
            if (count < limit) {
                if (count == times.length) {
                    times = Arrays.copyOf(times, Math.min(limit, times.length * 2));
                }
                times[count++] = now;
                return 0;
            }
            long wait = times[oldest] + WINDOW.toMillis() - now;
            if (wait > 0) {
                return wait;
            }
            times[oldest] = now;
            oldest = (oldest + 1) % limit;
            return 0;
        }
    }
}
