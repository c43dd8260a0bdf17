package org.bastion.identity.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.OutboundFetcher;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys of each external issuer, fetched from its jwks_uri and cached: fetched again
 * after an hour, or when a token names a key the cache does not have (at most every 30 s, so a
 * flood of made-up kids cannot turn Bastion into a load generator against the issuer).
 */
@ApplicationScoped
public class IssuerKeys {

    static final Duration MAX_AGE = Duration.ofHours(1);
    static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    static final int MAX_DOCUMENT = 1024 * 1024;

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();
    static final int MAX_CACHED = 100;

    @Inject
    OutboundFetcher fetcher;

    private record Cached(JWKSet keys, Instant fetched) {
    }

    /** The issuer's key with this kid (any of its keys when kid is null and it has one), fetching the JWKS as needed. */
    public Optional<JWK> key(String jwksUri, String kid) throws IOException {
        Cached cached = cache.get(jwksUri);
        Instant now = clock.instant();
        if (cached == null || cached.fetched().plus(MAX_AGE).isBefore(now)
                || find(cached.keys(), kid).isEmpty() && cached.fetched().plus(MIN_REFRESH).isBefore(now)) {
            try {
                cached = new Cached(fetch(jwksUri), now);
            } catch (IOException e) {
                if (cached == null) {
                    throw e;
                }
                // keep the keys known so far, and wait MIN_REFRESH before asking the issuer again
                cache.put(jwksUri, new Cached(cached.keys(), now));
            }
        }
        return find(cached.keys(), kid);
    }

    /** Fetches a JWKS now (at registration) and caches it; only public keys are accepted. */
    public JWKSet fetch(String jwksUri) throws IOException {
        String body = get(jwksUri);
        try {
            JWKSet keys = JWKSet.parse(body);
            if (keys.getKeys().stream().anyMatch(JWK::isPrivate)) {
                throw new IOException(jwksUri + " publishes private keys; refusing to trust it");
            }
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(jwksUri, new Cached(keys, clock.instant()));
            return keys;
        } catch (java.text.ParseException e) {
            throw new IOException(jwksUri + " is not a JWK Set: " + e.getMessage());
        }
    }

    private static Optional<JWK> find(JWKSet keys, String kid) {
        if (kid == null) {
            return keys.getKeys().size() == 1 ? Optional.of(keys.getKeys().get(0)) : Optional.empty();
        }
        return Optional.ofNullable(keys.getKeyByKeyId(kid));
    }

    /** GET a JSON document of at most 1 MB, through the {@link OutboundFetcher}. */
    public String get(String url) throws IOException {
        return fetcher.getJson(url, MAX_DOCUMENT);
    }
}
