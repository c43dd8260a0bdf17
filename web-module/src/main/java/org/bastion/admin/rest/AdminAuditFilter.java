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
import org.bastion.platform.BastionSettings;

import java.time.Instant;

/** Every change made through the admin API (any call but GET), with the admin who made it and how it ended. */
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
        if (!settings.audit() || "GET".equals(method) || "OPTIONS".equals(method) || "HEAD".equals(method)) {
            return;
        }
        String path = "/admin/api/" + request.getUriInfo().getPath().replaceFirst("^/", "");
        String admin = request.getSecurityContext().getUserPrincipal() == null ? null : request.getSecurityContext().getUserPrincipal().getName();
        String detail = response.getStatus() >= 400 && response.getEntity() instanceof String body ? body : null;
        trail.add(new AuditRecord(Instant.now(), AuditRecord.Category.ADMIN, "admin-" + method.toLowerCase(java.util.Locale.ROOT), method, path,
                request.getUriInfo().getRequestUri().getRawQuery())
                .who(admin, null, settings.issuer(), servletRequest == null ? null : servletRequest.getRemoteAddr())
                .outcome(response.getStatus(), detail));
    }
}
