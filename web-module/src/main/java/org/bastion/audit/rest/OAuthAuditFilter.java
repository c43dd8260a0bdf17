package org.bastion.audit.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import org.bastion.audit.application.AuditTrail;
import org.bastion.audit.domain.AuditRecord;
import org.bastion.platform.BastionSettings;

import java.time.Instant;
import java.util.Locale;

/**
 * Records the security events of the authorization server: sign-in (success, failure, throttled),
 * consent decisions, logout, client registration reads and changes, introspection and revocation,
 * each with the user, client and token the resource noted ({@link AuditNote}), the source address
 * and the status. The record is committed before the response leaves. Token requests record
 * themselves (TokenResource); discovery, JWKS and the authorize redirect are not recorded.
 */
@Provider
public class OAuthAuditFilter implements ContainerResponseFilter {

    @EJB
    AuditTrail trail;

    @Inject
    BastionSettings settings;

    @Inject
    AuditNote note;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath().replaceFirst("^/", "");
        String action = note.action() != null ? note.action() : action(method, path);
        if (!settings.audit() || action == null) {
            return;
        }
        AuditRecord record = new AuditRecord(Instant.now(), AuditRecord.Category.SECURITY, action, method, "/oauth2/" + path, null)
                .who(note.subject(), note.clientId(), settings.issuer(), servletRequest == null ? null : servletRequest.getRemoteAddr())
                .token(note.tokenId())
                .outcome(response.getStatus(), note.detail() != null ? note.detail() : refusal(response));
        trail.record(record);
    }

    /** A refusal's own words: its RFC 6749 error JSON (pages say theirs through the note). */
    private static String refusal(ContainerResponseContext response) {
        String entity = response.getStatus() >= 400 && response.getEntity() != null ? String.valueOf(response.getEntity()) : null;
        return entity != null && entity.startsWith("{") ? entity : null;
    }

    /** The event a request to the authorization server is, or null when it is none worth a record. */
    static String action(String method, String path) {
        if ("OPTIONS".equals(method) || "HEAD".equals(method)) {
            return null;
        }
        String first = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        return switch (first) {
            case "login" -> "POST".equals(method) ? "sign-in" : null;
            case "consent" -> "POST".equals(method) ? "consent" : null;
            case "logout" -> "logout";
            case "introspect" -> "introspect";
            case "revoke" -> "revoke";
            case "register" -> "register-" + switch (method) {
                case "POST" -> "create";
                case "PUT" -> "update";
                case "DELETE" -> "delete";
                default -> method.toLowerCase(Locale.ROOT);
            };
            default -> null;
        };
    }
}
