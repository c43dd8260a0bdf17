package org.bastion.oauth.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.platform.OutboundFetcher;

import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The public keys a client registered, inline (jwks) or by URL (jwks_uri). A jwks_uri is fetched
 * through the {@link OutboundFetcher} (public https only, capped, no redirects) and cached for five
 * minutes; a kid the cache does not know forces a refetch, and a failed fetch is remembered, so
 * one client's URL is fetched at most every 10 s whatever is sent with its client_id. The cache
 * holds at most 1 000 URLs.
 */
@ApplicationScoped
public class ClientKeys {

    private static final Logger LOG = Logger.getLogger(ClientKeys.class.getName());
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    private static final int MAX_JWKS_BYTES = 256 * 1024;
    static final int MAX_CACHED = 1_000;

    @Inject
    OutboundFetcher fetcher;

    private final Map<URI, Fetched> cache = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    /** A fetch's outcome: the keys, or null after a failure (remembered so it is not retried at once). */
    private record Fetched(JWKSet keys, Instant at) {
    }

    public JWKSet keys(OAuthClient client, String kid) throws OAuthException {
        if (client.metadata().getJWKSet() != null) {
            return client.metadata().getJWKSet();
        }
        URI uri = client.metadata().getJWKSetURI();
        if (uri == null) {
            throw OAuthException.invalidClient("Client " + client.clientId() + " has registered no jwks or jwks_uri to verify its assertions with");
        }
        Fetched fetched = cache.get(uri);
        Instant now = clock.instant();
        boolean due = fetched == null || fetched.at().plus(MIN_REFETCH).isBefore(now);
        boolean stale = fetched == null || fetched.at().plus(TTL).isBefore(now) || fetched.keys() == null;
        boolean unknownKid = fetched != null && fetched.keys() != null && kid != null && fetched.keys().getKeyByKeyId(kid) == null;
        if (due && (stale || unknownKid)) {
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            fetched = new Fetched(fetch(uri, client), now);
            cache.put(uri, fetched);
        }
        if (fetched.keys() == null) {
            throw OAuthException.invalidClient("The keys at the jwks_uri of client " + client.clientId()
                    + " could not be fetched or used; fix the URL or its answer (tried again at most every " + MIN_REFETCH.toSeconds() + " s)");
        }
        return fetched.keys();
    }

    /** The key set, or null when it cannot be had (the reason is logged, not told). */
    private JWKSet fetch(URI uri, OAuthClient client) {
        try {
            JWKSet keys = JWKSet.parse(fetcher.getJson(uri.toString(), MAX_JWKS_BYTES));
            return keys.getKeys().stream().anyMatch(JWK::isPrivate) ? null : keys;
        } catch (OutboundFetcher.Refused e) {
            return null;
        } catch (ParseException e) {
            LOG.warning(() -> "jwks_uri " + uri + " of client " + client.clientId() + " is not a JWK set: " + e.getMessage());
            return null;
        }
    }
}
