package org.bastion.platform.rest;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bastion.platform.BastionSettings;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Security headers, set before anything else answers: a servlet filter, because the console and
 * the sample app are static files the servlet container serves, not JAX-RS.
 * <ul>
 * <li>Every response: {@code nosniff}, so a JSON or text answer is never run as script; and HSTS
 * when the public base URL is https (over http it would be ignored, and wrong).
 * <li>The console ({@code /admin/}) and the sample app ({@code /apps/}): a policy that lets them
 * load only their own files and call only this server (they have no inline script, style
 * attribute or event handler; their icon is a {@code data:} URL), and never be framed.
 * <li>FHIR, OAuth and admin API answers: {@code no-store}, as they carry health data and
 * tokens; the public keys and the discovery documents may be cached.
 * </ul>
 * A header a resource sets itself wins: RESTEasy and Jersey set, not add, a response header the
 * filter chain already set, so a resource's own Cache-Control (the token endpoint's, the SMART
 * style's) replaces the {@code no-store} given here, and the sign-in pages keep their own policy
 * (PageResponses), which this filter leaves alone.
 */
@WebFilter(filterName = "SecurityHeadersFilter", urlPatterns = "/*")
public class SecurityHeadersFilter extends HttpFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
    static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

    @Inject
    BastionSettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        headers(path, settings.baseUrl()).forEach(response::setHeader);
        chain.doFilter(request, response);
    }

    /** The headers for a path below the context root (decoded and normalised), under the public base URL. */
    static Map<String, String> headers(String path, String baseUrl) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        // RFC 6797 §7.2: never over plain http. The base URL says which: behind a TLS proxy requests arrive over http.
        if (baseUrl.regionMatches(true, 0, "https://", 0, "https://".length())) {
            headers.put("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
        if (browserApp(path)) {
            headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.put("X-Frame-Options", "DENY");
            headers.put("Referrer-Policy", "same-origin");
        } else if (notStored(path)) {
            headers.put("Cache-Control", "no-store");
        }
        return headers;
    }

    /** The console and the sample app: pages and scripts a browser runs. The admin API below the console is JSON. */
    private static boolean browserApp(String path) {
        return under(path, "/apps") || under(path, "/admin") && !under(path, "/admin/api");
    }

    /** Health data, tokens and admin answers; not the public keys (JWKS) nor the discovery documents. */
    private static boolean notStored(String path) {
        return (under(path, "/fhir") || under(path, "/oauth2") || under(path, "/admin/api"))
                && !under(path, "/oauth2/jwks") && !path.contains("/.well-known/");
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
