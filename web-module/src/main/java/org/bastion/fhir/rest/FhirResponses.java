package org.bastion.fhir.rest;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

import java.net.URI;

/** The headers FHIR puts on a resource response (R4 http.html): ETag, Last-Modified, Location; and Prefer. */
final class FhirResponses {

    private FhirResponses() {
    }

    static Response.ResponseBuilder resource(int status, Resource resource) {
        return headers(Response.status(status).entity(resource), resource.getMeta().getVersionId(), resource.getMeta().getLastUpdated());
    }

    /** A read answered with the JSON as stored ({@link StoredJsonWriter}). */
    static Response stored(org.bastion.fhir.application.FhirRepository.Json stored) {
        return headers(Response.ok(stored), stored.versionId(), java.util.Date.from(stored.lastUpdated())).build();
    }

    private static Response.ResponseBuilder headers(Response.ResponseBuilder response, String versionId, java.util.Date lastUpdated) {
        return response.tag(new EntityTag(versionId, true)).lastModified(lastUpdated);
    }

    /** Whether the client asked for no resource in the answer (Prefer: return=minimal, R4 http.html#ops). */
    static boolean minimal(String prefer) {
        return prefer != null && prefer.contains("return=minimal");
    }

    /** A create or update answered as Prefer: return= asks (R4 http.html#ops): representation by default. */
    static Response written(int status, Resource resource, String base, String prefer) {
        URI location = URI.create(base + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart()
                + "/_history/" + resource.getMeta().getVersionId());
        Response.ResponseBuilder response = resource(status, resource).location(location);
        if (minimal(prefer)) {
            response.entity(null);
        } else if (prefer != null && prefer.contains("return=OperationOutcome")) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION).setCode(OperationOutcome.IssueType.INFORMATIONAL)
                    .setDiagnostics((status == 201 ? "Created " : "Updated ") + resource.fhirType() + "/" + resource.getIdElement().getIdPart()
                            + " version " + resource.getMeta().getVersionId());
            response.entity(outcome);
        }
        return response.build();
    }

    static String header(HttpHeaders headers, String name) {
        return headers.getHeaderString(name);
    }
}
