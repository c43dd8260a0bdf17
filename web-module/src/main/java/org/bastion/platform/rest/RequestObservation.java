package org.bastion.platform.rest;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bastion.platform.RequestIds;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request gets an id (RequestIds): in the {@code X-Request-Id} response header, in the
 * logging MDC as {@code requestId} (WildFly's JSON log prints it with each line of the request)
 * and in the request's audit record. When the response is done, the request is counted and timed
 * in RequestMetrics under its endpoint, with the reason of a refusal.
 */
@WebFilter(filterName = "RequestObservation", urlPatterns = "/*")
public class RequestObservation extends HttpFilter {

    static final String MDC_KEY = "requestId";
    private static final Pattern WWW_AUTHENTICATE_ERROR = Pattern.compile("error=\"([a-z_]{1,40})\"");

    @Inject
    RequestMetrics metrics;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = System.nanoTime();
        String id = RequestIds.accept(request.getHeader(RequestIds.HEADER));
        response.setHeader(RequestIds.HEADER, id);
        RequestIds.enter(id);
        org.jboss.logging.MDC.put(MDC_KEY, id);
        RequestMetrics.takeRefusal();
        try {
            chain.doFilter(request, response);
        } finally {
            String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
            int status = response.getStatus();
            metrics.observe(RequestMetrics.endpoint(request.getMethod(), path), status, System.nanoTime() - start,
                    status >= 400 ? reason(response) : null);
            org.jboss.logging.MDC.remove(MDC_KEY);
            RequestIds.clear();
        }
    }

    /**
     * The bearer challenge's error code (RFC 6750: invalid_token, insufficient_scope), else the
     * reason noted where the refusal was written (an OAuth error code, a FHIR issue type).
     */
    private static String reason(HttpServletResponse response) {
        String noted = RequestMetrics.takeRefusal();
        String challenge = response.getHeader("WWW-Authenticate");
        Matcher error = challenge == null ? null : WWW_AUTHENTICATE_ERROR.matcher(challenge);
        return error != null && error.find() ? error.group(1) : noted;
    }
}
