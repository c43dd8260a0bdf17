package org.bastion.fhir.rest;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.bastion.oauth.application.AccessTokenVerifier;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.OAuthException;
import org.bastion.platform.rest.BearerSecurityContext;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.Locale;
import java.util.Set;

/**
 * Resource-server authentication (RFC 6750 §2.1). A refusal always carries error and
 * error_description: RFC 6750 §3.1 lets a server omit them when no token was sent, but a
 * bare 401 leaves a developer guessing, so Bastion names the reason every time.
 */
@Provider
@RequiresBearerToken
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "bearer ";

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    BastionSettings settings;

    @Context
    HttpHeaders headers;

    @Override
    public void filter(ContainerRequestContext request) {
        try {
            VerifiedAccessToken token = verifier.verify(bearerToken(request));
            request.setSecurityContext(new BearerSecurityContext(token, Set.of(), request.getSecurityContext().isSecure()));
        } catch (InvalidTokenException e) {
            request.abortWith(OperationOutcomes.error(401, IssueType.LOGIN, e.getMessage(), headers)
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge(e.getMessage()))
                    .build());
        }
    }

    private String bearerToken(ContainerRequestContext request) throws InvalidTokenException {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            throw new InvalidTokenException("No access token: send it in the header Authorization: Bearer <token>");
        }
        if (authorization.trim().equalsIgnoreCase(BEARER.trim())) {
            throw new InvalidTokenException("Authorization: Bearer carries no token; send Authorization: Bearer <token>");
        }
        if (!authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            String scheme = authorization.split(" ", 2)[0];
            throw new InvalidTokenException("Authorization scheme '" + scheme + "' is not accepted; use Bearer (RFC 6750)");
        }
        return authorization.substring(BEARER.length()).trim();
    }

    private String challenge(String description) {
        return "Bearer realm=\"" + settings.fhirBase() + "\", error=\"invalid_token\", error_description=\""
                + OAuthException.printable(description) + "\"";
    }
}
