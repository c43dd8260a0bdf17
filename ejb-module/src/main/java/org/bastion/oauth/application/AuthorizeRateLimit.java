package org.bastion.oauth.application;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.RateWindows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Limits the authorization requests a source address may start without a sign-in session: each
 * stores a pending request before anyone has signed in, so without a limit an anonymous client
 * could fill that table. At most {@code bastion.authorize.rate.limit} (BASTION_AUTHORIZE_RATE_LIMIT,
 * default 60, 0 for no limit; an admin may change it at run time as the setting authorize_rate_limit) within any minute: a sliding window over the times of an address's
 * latest admissions ({@link RateWindows}). An IPv6 address counts by its /64, which one host commonly holds whole.
 * <p>
 * Kept in memory, per node: at most {@link #MAX_ADDRESSES} addresses, the one seen least recently
 * forgotten first, so memory stays bounded (an address holds at most a limit's worth of times).
 */
@ApplicationScoped
public class AuthorizeRateLimit {

    static final int DEFAULT_LIMIT = 60;
    static final int MAX_ADDRESSES = 10_000;

    @Inject
    BastionSettings settings;

    private int limit;
    private Clock clock;
    private final RateWindows addresses = new RateWindows(MAX_ADDRESSES);

    public AuthorizeRateLimit() {
    }

    AuthorizeRateLimit(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    @PostConstruct
    void configure() {
        clock = Clock.systemUTC();
    }

    /**
     * Counts a new authorization request from this address if the address is within its limit:
     * zero then; otherwise, counting nothing, how long until it may start another (Retry-After).
     */
    public Duration admit(String address) {
        return addresses.admit(source(address), settings == null ? limit : configured(), clock.millis());
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
}
