package org.bastion.admin.rest;

import org.bastion.platform.rest.BearerCredentials;
import jakarta.annotation.Priority;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.bastion.identity.application.UserService;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.application.AccessTokenVerifier;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.rest.BearerSecurityContext;

import java.util.Optional;

/** Admin calls need a valid Bastion access token whose user holds the admin role; a refusal says which part failed. */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    @Inject
    AccessTokenVerifier verifier;

    @EJB
    UserService users;

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
        try {
            token = verifier.verify(bearer.get());
        } catch (InvalidTokenException e) {
            request.abortWith(AdminErrors.unauthorized(e.getMessage()));
            return;
        }
        Optional<BastionUser> user = users.find(token.getSubject()).filter(BastionUser::enabled);
        if (user.isEmpty() || !user.get().hasRole(BastionUser.ADMIN_ROLE)) {
            request.abortWith(AdminErrors.error(403, "insufficient_role",
                    "The token's user (sub " + token.getSubject() + ") does not have the admin role"));
            return;
        }
        BastionUser admin = user.get();
        request.setSecurityContext(new BearerSecurityContext(admin::id, admin.roles(), request.getSecurityContext().isSecure()));
    }
}
