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
        return Response.status(status).entity(resource)
                .tag(new EntityTag(resource.getMeta().getVersionId(), true))
                .lastModified(resource.getMeta().getLastUpdated());
    }

    /** A create or update answered as Prefer: return= asks (R4 http.html#ops): representation by default. */
    static Response written(int status, Resource resource, String base, String prefer) {
        URI location = URI.create(base + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart()
                + "/_history/" + resource.getMeta().getVersionId());
        Response.ResponseBuilder response = resource(status, resource).location(location);
        if (prefer != null && prefer.contains("return=minimal")) {
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
