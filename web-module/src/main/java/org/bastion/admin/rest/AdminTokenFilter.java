package org.bastion.admin.rest;

import org.bastion.platform.rest.BearerCredentials;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.smart.application.TokenPolicies;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.application.AccessTokenVerifier;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.rest.BearerSecurityContext;

import java.util.Optional;

/**
 * Admin calls need a valid Bastion access token with the admin scope, of a client that may have it
 * and is still enabled, whose user still exists, is enabled and holds the admin role; checked on
 * every request. A refusal says which part failed.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    /** The request property holding the verified token, for the audit trail. */
    static final String TOKEN_PROPERTY = "org.bastion.admin.token";

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    TokenPolicies policies;

    @Override
    public void filter(ContainerRequestContext request) {
        if (HttpMethod.OPTIONS.equals(request.getMethod())) {
            return;
        }
        Optional<String> bearer = BearerCredentials.token(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (bearer.isEmpty()) {
            request.abortWith(AdminErrors.unauthorized("No access token: send a Bastion access token of an admin as Authorization: Bearer <token>"));
            return;
        }
        VerifiedAccessToken token;
        OAuthClient client;
        BastionUser user;
        try {
            token = verifier.verify(bearer.get());
            request.setProperty(TOKEN_PROPERTY, token);
            client = policies.liveClient(token);
            user = policies.liveUser(token, client);
        } catch (InvalidTokenException e) {
            request.abortWith(AdminErrors.unauthorized(e.getMessage()));
            return;
        }
        // the admin scope, in a token of a client that may (still) have it: an admin signing in to some app gives that app no admin power
        if (!token.scopes().contains(ScopeCatalog.ADMIN) || !ScopeCatalog.allowed(ScopeCatalog.ADMIN, client)) {
            request.abortWith(AdminErrors.error(403, "insufficient_scope", "The admin API takes tokens with the admin scope issued to the console ("
                    + ClientRegistry.CONSOLE_CLIENT_ID + ") or to a client an admin granted that scope; this token was issued to client "
                    + client.clientId() + " with the scopes '" + String.join(" ", token.scopes()) + "'"));
            return;
        }
        if (user == null || !user.hasRole(BastionUser.ADMIN_ROLE)) {
            request.abortWith(AdminErrors.error(403, "insufficient_role",
                    "The token's user (sub " + token.getSubject() + ") does not have the admin role"));
            return;
        }
        BastionUser admin = user;
        request.setSecurityContext(new BearerSecurityContext(admin::id, admin.roles(), request.getSecurityContext().isSecure()));
    }
}
