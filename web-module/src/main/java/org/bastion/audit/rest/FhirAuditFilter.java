package org.bastion.audit.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import org.bastion.audit.application.AuditTrail;
import org.bastion.audit.domain.AuditRecord;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.time.Instant;
import java.util.List;

/**
 * Records every FHIR request, answered or refused, in the audit trail. While the trail cannot
 * record, requests are refused (503) before anything is done, rather than served unaudited.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class FhirAuditFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @EJB
    AuditTrail trail;

    @Inject
    BastionSettings settings;

    @Context
    HttpServletRequest servletRequest;

    @Override
    public void filter(ContainerRequestContext request) {
        if (settings.audit()) {
            trail.unavailable().ifPresent(reason -> request.abortWith(jakarta.ws.rs.core.Response.status(503)
                    .header("Retry-After", "5")
                    .entity(new OperationOutcome().addIssue(new OperationOutcome.OperationOutcomeIssueComponent()
                            .setSeverity(OperationOutcome.IssueSeverity.FATAL).setCode(OperationOutcome.IssueType.TRANSIENT)
                            .setDiagnostics("The audit trail cannot record requests now (" + reason
                                    + "), so none are served; retry shortly"))).build()));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!settings.audit() || "OPTIONS".equals(request.getMethod())) {
            return;
        }
        List<String> path = request.getUriInfo().getPathSegments().stream().map(s -> s.getPath()).filter(s -> !s.isEmpty()).toList();
        AuditRecord record = new AuditRecord(Instant.now(), AuditRecord.Category.REST, interaction(request.getMethod(), path),
                request.getMethod(), "/" + String.join("/", path), request.getUriInfo().getRequestUri().getRawQuery());
        if (!path.isEmpty() && Character.isUpperCase(path.get(0).charAt(0))) {
            record.resource(path.get(0), path.size() > 1 && !path.get(1).startsWith("_") && !path.get(1).startsWith("$") ? path.get(1) : null);
        }
        String subject = null;
        String client = null;
        String issuer = null;
        String tokenId = null;
        if (request.getSecurityContext().getUserPrincipal() instanceof VerifiedAccessToken token) {
            subject = token.getName();
            client = token.clientId();
            issuer = token.claims().getIssuer();
            tokenId = token.claims().getJWTID();
        }
        record.who(subject, client, issuer, servletRequest == null ? null : servletRequest.getRemoteAddr())
                .token(tokenId).outcome(response.getStatus(), detail(response));
        trail.record(record);
    }

    /** The FHIR interaction (R4 restful-interaction codes) a request is, from its method and path. */
    public static String interaction(String method, List<String> path) {
        int n = path.size();
        if (n > 0 && path.get(n - 1).startsWith("$")) {
            return "operation";
        }
        if (n == 0) {
            return "GET".equals(method) ? "search-system" : "transaction";
        }
        if (n == 1 && path.get(0).equals("metadata")) {
            return "capabilities";
        }
        if (path.get(0).equals("_history")) {
            return "history-system";
        }
        return switch (method) {
            case "POST" -> n == 2 && path.get(1).equals("_search") ? "search-type" : "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> n == 1 ? "search-type"
                    : path.get(1).equals("_history") ? "history-type"
                    : n == 2 ? "read"
                    : n == 3 && path.get(2).equals("_history") ? "history-instance"
                    : n == 4 && path.get(2).equals("_history") ? "vread"
                    : "search-compartment";
        };
    }

    private static String detail(ContainerResponseContext response) {
        if (response.getEntity() instanceof OperationOutcome outcome && outcome.hasIssue()) {
            return outcome.getIssueFirstRep().getDiagnostics();
        }
        return null;
    }
}
