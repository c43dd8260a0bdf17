package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.audit.application.AuditEvents;
import org.bastion.audit.application.AuditLog;
import org.bastion.audit.application.AuditTrail;
import org.bastion.audit.domain.AuditRecord;
import org.bastion.fhir.application.Fhir;
import org.bastion.platform.InvalidInputException;
import org.hl7.fhir.r4.model.Bundle;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The audit trail as a FHIR searchset Bundle of AuditEvent resources, newest first, filtered by
 * time range, user, client, resource, outcome and category, paged with _count and _offset.
 */
@Tag(name = "Audit", description = "The audit trail of FHIR, token and admin requests")
@Path("audit")
public class AuditResource {

    static final int MAX_COUNT = 500;

    @EJB
    AuditLog log;

    @EJB
    AuditTrail trail;

    @Context
    UriInfo uri;

    @GET
    @Produces("application/fhir+json")
    @Operation(summary = "Search the audit trail", description = "A FHIR searchset Bundle of AuditEvent, newest first. since/until (instants), subject, client, resource (Type or Type/id), outcome (HTTP status), category (rest, token, admin, security), request (the X-Request-Id of a response); _count (1-500) and _offset page.")
    @APIResponse(responseCode = "200", description = "A searchset Bundle of AuditEvent")
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response search(@QueryParam("since") String since, @QueryParam("until") String until, @QueryParam("subject") String subject,
                           @QueryParam("client") String client, @QueryParam("resource") String resource,
                           @QueryParam("outcome") String outcome, @QueryParam("category") String category,
                           @QueryParam("request") String request,
                           @QueryParam("_count") String count, @QueryParam("_offset") String offset) {
        String type = null;
        String id = null;
        if (resource != null && !resource.isBlank()) {
            String[] parts = resource.split("/", 2);
            if (!Fhir.isResourceType(parts[0])) {
                throw new InvalidInputException("resource", "must be a resource type or Type/id, e.g. Patient/123; '" + parts[0] + "' is not an R4 type");
            }
            type = parts[0];
            id = parts.length > 1 ? parts[1] : null;
        }
        if (category != null && !category.isBlank() && !List.of("rest", "token", "admin", "security").contains(category)) {
            throw new InvalidInputException("category", "must be rest (FHIR requests), token (token requests), admin (admin API requests) or security (sign-in, consent, logout, registration, introspection, revocation)");
        }
        int pageSize = AdminJson.number("_count", count, 50, 1, MAX_COUNT);
        int first = AdminJson.number("_offset", offset, 0, 0, Integer.MAX_VALUE);
        AuditLog.Criteria criteria = new AuditLog.Criteria(AdminJson.instant("since", since), AdminJson.instant("until", until), AdminJson.blankToNull(subject),
                AdminJson.blankToNull(client), type, id, outcome == null || outcome.isBlank() ? null : AdminJson.number("outcome", outcome, 0, 100, 599),
                AdminJson.blankToNull(category), AdminJson.blankToNull(request));
        trail.write();
        List<AuditRecord> records = log.search(criteria, first, pageSize + 1);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(uri.getRequestUri().toString());
        if (records.size() > pageSize) {
            records = records.subList(0, pageSize);
            bundle.addLink().setRelation("next").setUrl(uri.getRequestUriBuilder().replaceQueryParam("_offset", first + pageSize).build().toString());
        }
        for (AuditRecord record : records) {
            bundle.addEntry().setResource(AuditEvents.toFhir(record)).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return Response.ok(Fhir.r4().newJsonParser().encodeResourceToString(bundle)).build();
    }
}
