package org.bastion.smart.application;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.SmartScope;

import java.util.List;
import java.util.Optional;

/**
 * The access policy of a verified token. For Bastion's own tokens the client's registration is
 * consulted again: a disabled or deleted client's tokens stop working, and scopes an admin has
 * since taken from the client no longer count, even in tokens issued before.
 */
@ApplicationScoped
public class TokenPolicies {

    @EJB
    ClientRegistry clients;

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
            OAuthClient client = clientId == null ? null : clients.find(clientId).orElse(null);
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
