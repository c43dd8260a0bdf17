package org.bastion.platform.rest;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.bastion.oauth.application.TrustedOrigins;

import java.util.Set;

/**
 * CORS for browser apps calling the token-side endpoints and the FHIR API: only origins a
 * registered client trusts get the headers; a preflight from any other origin is refused.
 * Tokens travel in the Authorization header, never in cookies, so credentials are not allowed.
 * The discovery documents (OpenID/RFC 8414 metadata, SMART configuration, the CapabilityStatement,
 * the JWKS) are public: any origin may read them, as an app does before it is registered.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** Browser-page paths under /oauth2: navigations, not cross-origin calls. */
    private static final Set<String> PAGES = Set.of("authorize", "login", "consent", "logout", "account");
    private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String EXPOSED = "Location, Content-Location, ETag, Last-Modified, WWW-Authenticate";
    private static final String PUBLIC_METHODS = "GET, HEAD, OPTIONS";

    @Inject
    TrustedOrigins origins;

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        boolean preflight = HttpMethod.OPTIONS.equals(request.getMethod())
                && request.getHeaderString("Access-Control-Request-Method") != null;
        if (origin == null || !preflight || PAGES.contains(firstSegment(request))) {
            return;
        }
        boolean open = publicDocument(request);
        if (!open && !origins.trusted(origin)) {
            request.abortWith(Response.status(403).type("text/plain")
                    .entity("Origin " + origin + " is not a trusted CORS origin of any registered client").build());
            return;
        }
        String headers = request.getHeaderString("Access-Control-Request-Headers");
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Origin", open ? "*" : origin)
                .header("Access-Control-Allow-Methods", open ? PUBLIC_METHODS : ALLOWED_METHODS)
                .header("Access-Control-Allow-Headers", headers == null ? "Authorization, Content-Type" : headers)
                .header("Access-Control-Max-Age", "600")
                .header("Vary", "Origin")
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (response.getHeaders().containsKey("Access-Control-Allow-Origin") || PAGES.contains(firstSegment(request))) {
            return;
        }
        if (publicDocument(request)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", "*");
            return;
        }
        // The answer depends on the Origin whether or not it is trusted: caches must not hand one origin's answer to another.
        response.getHeaders().add("Vary", "Origin");
        if (origin == null || !origins.trusted(origin)) {
            return;
        }
        response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
        response.getHeaders().putSingle("Access-Control-Expose-Headers", EXPOSED);
    }

    /** Whether the request is for a discovery document, which every origin may read. */
    static boolean publicDocument(ContainerRequestContext request) {
        return publicDocument(request.getUriInfo().getRequestUri().getPath());
    }

    static boolean publicDocument(String path) {
        return path.contains("/.well-known/") || path.endsWith("/oauth2/jwks") || path.endsWith("/fhir/r4/metadata");
    }

    private static String firstSegment(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }
}
