package org.bastion.admin.rest;

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
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.BastionSettings;

import java.time.Instant;

/**
 * Every request to the admin API, reads included, refused or not: the admin, the client and token
 * (jti) it came with, the source address and how it ended. Committed before the response leaves.
 */
@Provider
public class AdminAuditFilter implements ContainerResponseFilter {

    @EJB
    AuditTrail trail;

    @Inject
    BastionSettings settings;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String method = request.getMethod();
        if (!settings.audit() || "OPTIONS".equals(method) || "HEAD".equals(method)) {
            return;
        }
        String path = "/admin/api/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        String admin = request.getSecurityContext().getUserPrincipal() == null ? null : request.getSecurityContext().getUserPrincipal().getName();
        String detail = response.getStatus() >= 400 && response.getEntity() instanceof String body ? body : null;
        VerifiedAccessToken token = request.getProperty(AdminTokenFilter.TOKEN_PROPERTY) instanceof VerifiedAccessToken t ? t : null;
        trail.record(new AuditRecord(Instant.now(), AuditRecord.Category.ADMIN, "admin-" + method.toLowerCase(java.util.Locale.ROOT), method, path,
                request.getUriInfo().getRequestUri().getRawQuery())
                .who(admin, token == null ? null : token.clientId(), settings.issuer(),
                        servletRequest == null ? null : servletRequest.getRemoteAddr())
                .token(token == null ? null : token.claims().getJWTID())
                .outcome(response.getStatus(), detail));
    }
}
