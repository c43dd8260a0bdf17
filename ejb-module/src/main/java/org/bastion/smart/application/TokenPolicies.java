package org.bastion.smart.application;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.oauth.application.ClientChanged;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.SmartScope;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;

/**
 * The access policy of a verified token. For Bastion's own tokens the client's registration is
 * consulted again: a disabled or deleted client's tokens stop working, and scopes an admin has
 * since taken from the client no longer count, even in tokens issued before (within
 * CLIENT_CACHE on every node).
 */
@ApplicationScoped
public class TokenPolicies {

    @EJB
    ClientRegistry clients;

    /**
     * How long this node reuses what it read of a client's registration: an admin's change to a
     * client (disabled, scopes taken away) reaches tokens issued before within this time on every node.
     */
    static final Duration CLIENT_CACHE = Duration.ofSeconds(5);

    private record CachedClient(OAuthClient client, Instant read) {
    }

    private final Map<String, CachedClient> cache = new ConcurrentHashMap<>();

    /** This node forgets a changed client at once; other nodes within CLIENT_CACHE. */
    void forget(@jakarta.enterprise.event.Observes ClientChanged change) {
        cache.remove(change.clientId());
    }

    private OAuthClient client(String clientId) {
        Instant now = Instant.now();
        CachedClient cached = cache.get(clientId);
        if (cached == null || cached.read().plus(CLIENT_CACHE).isBefore(now)) {
            OAuthClient client = clients.find(clientId).orElse(null);
            if (client != null) {
                client.metadata();
            }
            cached = new CachedClient(client, now);
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(clientId, cached);
        }
        return cached.client();
    }

    /** A token scope as far as the client's registration still allows it: whole, narrowed (system/*.rs to system/Patient.rs), or not. */
    static List<String> stillAllowed(String scope, OAuthClient client) {
        if (ScopeCatalog.allowed(scope, client)) {
            return List.of(scope);
        }
        Optional<SmartScope> granted = SmartScope.parse(scope);
        if (granted.isEmpty() || client.metadata().getScope() == null) {
            return List.of();
        }
        return client.metadata().getScope().toStringList().stream()
                .map(SmartScope::parse).flatMap(Optional::stream)
                .map(registered -> registered.intersect(granted.get())).flatMap(Optional::stream)
                .map(SmartScope::text).toList();
    }

    public AccessPolicy policy(VerifiedAccessToken token, boolean ownToken) throws InvalidTokenException {
        List<String> scopes = List.copyOf(token.scopes());
        if (ownToken) {
            String clientId = token.claims().getClaim("client_id") instanceof String s ? s : null;
            OAuthClient client = clientId == null ? null : client(clientId);
            if (client == null) {
                throw new InvalidTokenException("Token was issued to client '" + clientId + "', which is no longer registered");
            }
            if (!client.enabled()) {
                throw new InvalidTokenException("Token was issued to client '" + clientId + "', which an admin has disabled");
            }
            scopes = scopes.stream().flatMap(scope -> stillAllowed(scope, client).stream()).toList();
        }
        return AccessPolicy.of(scopes, token.patient(), token.fhirUser());
    }
}
