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
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    /** Browser-page paths under /oauth2: navigations, not cross-origin calls. */
    private static final Set<String> PAGES = Set.of("authorize", "login", "consent", "logout");
    private static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final String EXPOSED = "Location, Content-Location, ETag, Last-Modified, WWW-Authenticate";

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
        if (!origins.trusted(origin)) {
            request.abortWith(Response.status(403).type("text/plain")
                    .entity("Origin " + origin + " is not a trusted CORS origin of any registered client").build());
            return;
        }
        String headers = request.getHeaderString("Access-Control-Request-Headers");
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", ALLOWED_METHODS)
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
        // The answer depends on the Origin whether or not it is trusted: caches must not hand one origin's answer to another.
        response.getHeaders().add("Vary", "Origin");
        if (origin == null || !origins.trusted(origin)) {
            return;
        }
        response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
        response.getHeaders().putSingle("Access-Control-Expose-Headers", EXPOSED);
    }

    private static String firstSegment(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }
}
