package org.bastion.oauth.application;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.oauth.domain.OAuthClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The public keys a client registered, inline (jwks) or by URL (jwks_uri). Fetched key sets are
 * cached for five minutes; a kid the cache does not know forces a refetch, at most every 10 s.
 */
@ApplicationScoped
public class ClientKeys {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    private static final int MAX_JWKS_BYTES = 256 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<URI, Fetched> cache = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

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
        boolean stale = fetched == null || fetched.at().plus(TTL).isBefore(now);
        boolean unknownKid = fetched != null && kid != null && fetched.keys().getKeyByKeyId(kid) == null
                && fetched.at().plus(MIN_REFETCH).isBefore(now);
        if (stale || unknownKid) {
            fetched = new Fetched(fetch(uri, client), now);
            cache.put(uri, fetched);
        }
        return fetched.keys();
    }

    private JWKSet fetch(URI uri, OAuthClient client) throws OAuthException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw OAuthException.invalidClient("jwks_uri " + uri + " of client " + client.clientId() + " answered HTTP " + response.statusCode());
            }
            if (response.body().length > MAX_JWKS_BYTES) {
                throw OAuthException.invalidClient("jwks_uri " + uri + " returned more than " + MAX_JWKS_BYTES + " bytes");
            }
            return JWKSet.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | ParseException e) {
            throw OAuthException.invalidClient("Cannot read the JWK set at jwks_uri " + uri + " of client " + client.clientId() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw OAuthException.invalidClient("Interrupted while fetching " + uri);
        }
    }
}
