package org.bastion.oauth.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.RateWindows;

import java.time.Clock;
import java.time.Duration;

/**
 * Limits the requests one API key may make: a key is a long-lived secret that may leak, and a
 * leaked key should not read the repository at full speed. At most {@code bastion.api.key.rate.limit}
 * (BASTION_API_KEY_RATE_LIMIT, default {@value #DEFAULT_LIMIT}, 0 for no limit; an admin may change it
 * at run time as the setting api_key_rate_limit) within any minute, per key and per node.
 */
@ApplicationScoped
public class ApiKeyRateLimit {

    static final int DEFAULT_LIMIT = 600;
    static final int MAX_KEYS = 10_000;

    @Inject
    BastionSettings settings;

    private final Clock clock = Clock.systemUTC();
    private final RateWindows keys = new RateWindows(MAX_KEYS);

    /** Zero when the key may make this request (it is counted), else how long until it may (Retry-After). */
    public Duration admit(String keyId) {
        int limit = settings.value("bastion.api.key.rate.limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
        return keys.admit(keyId, limit, clock.millis());
    }
}
