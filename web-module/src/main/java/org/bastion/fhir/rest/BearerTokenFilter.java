package org.bastion.fhir.rest;

import jakarta.annotation.Priority;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.bastion.oauth.application.AccessTokenVerifier;
import org.bastion.oauth.application.ApiKeyRateLimit;
import org.bastion.oauth.application.ApiKeys;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.oauth.domain.ApiKey;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.rest.BearerSecurityContext;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.application.TokenPolicies;
import org.bastion.smart.domain.AccessPolicy;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Resource-server authentication (RFC 6750 §2.1). A refusal always carries error and
 * error_description: RFC 6750 §3.1 lets a server omit them when no token was sent, but a
 * bare 401 leaves a developer guessing, so Bastion names the reason every time. The verified
 * token's SMART scopes become the request's access policy, which the repository enforces.
 * An API key (x-api-key, when an admin has turned keys on) stands for its client with the key's
 * scopes and patient and goes through the same gate; each key is rate limited.
 */
@Provider
@RequiresBearerToken
@Priority(Priorities.AUTHENTICATION)
public class BearerTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "bearer ";
    static final String QUERY_PARAMETER = "access_token";
    /** The header of an API key (off unless an admin turns API keys on). */
    static final String API_KEY = "x-api-key";

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    TokenPolicies policies;

    @EJB
    ApiKeys apiKeys;

    @Inject
    ApiKeyRateLimit apiKeyRate;

    @Inject
    RequestAccess access;

    @Inject
    BastionSettings settings;

    @Context
    HttpHeaders headers;

    @Override
    public void filter(ContainerRequestContext request) {
        String apiKey = request.getHeaderString(API_KEY);
        if (settings.fhirSecurityOff() && request.getHeaderString(HttpHeaders.AUTHORIZATION) == null && apiKey == null
                && !request.getUriInfo().getQueryParameters().containsKey(QUERY_PARAMETER)) {
            // BASTION_FHIR_SECURITY=off, for measurements on a loopback-only server: the one request path with server authority
            access.set(AccessPolicy.SERVER);
            return;
        }
        try {
            VerifiedAccessToken token;
            AccessPolicy policy;
            if (apiKey != null) {
                if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null || request.getUriInfo().getQueryParameters().containsKey(QUERY_PARAMETER)) {
                    throw new InvalidTokenException("The request carries both an API key (x-api-key) and an access token: send one credential");
                }
                ApiKey key = apiKeys.verify(apiKey);
                Duration wait = apiKeyRate.admit(key.id());
                if (!wait.isZero()) {
                    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                    request.abortWith(OperationOutcomes.error(429, IssueType.THROTTLED, "API key " + ApiKeys.PREFIX + key.id()
                                    + "… made more requests within a minute than this server allows a key (api_key_rate_limit); retry after "
                                    + seconds + " s", headers)
                            .header(HttpHeaders.RETRY_AFTER, seconds).build());
                    return;
                }
                token = apiKeys.asToken(key);
                policy = policies.keyPolicy(token, key.organization());
            } else {
                token = verifier.verifyForFhir(bearerToken(request));
                policy = policies.policy(token, token.issuedHere());
            }
            access.set(policy, token);
            request.setSecurityContext(new BearerSecurityContext(token, Set.of(), request.getSecurityContext().isSecure()));
        } catch (InvalidTokenException e) {
            request.abortWith(OperationOutcomes.error(401, IssueType.LOGIN, e.getMessage(), headers)
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge(e.getMessage()))
                    .build());
        }
    }

    private String bearerToken(ContainerRequestContext request) throws InvalidTokenException {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String query = request.getUriInfo().getQueryParameters().getFirst(QUERY_PARAMETER);
        if ((authorization == null || authorization.isBlank()) && query != null) {
            if (!settings.accessTokenQuery()) {
                throw new InvalidTokenException("The access_token query parameter is turned off on this server, because URLs end up"
                        + " in logs and browser history (RFC 6750 section 2.3); send the header Authorization: Bearer <token>,"
                        + " or have an admin set BASTION_ACCESS_TOKEN_QUERY=true");
            }
            return query;
        }
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
