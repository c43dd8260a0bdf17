package org.bastion.fhir.rest;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Routing failures (no such path, method, media type) as OperationOutcomes rather than the server's HTML pages. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.ResponseBuilder response = OperationOutcomes.error(status, issueType(e), diagnostics(e), headers);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    private String diagnostics(WebApplicationException e) {
        String path = uriInfo.getPath();
        if (e instanceof NotFoundException) {
            return "No FHIR interaction at '" + path + "'";
        }
        if (e instanceof NotAllowedException) {
            return "Method not allowed at '" + path + "'; allowed: " + e.getResponse().getAllowedMethods();
        }
        if (e instanceof NotAcceptableException) {
            return "Cannot answer in the requested Accept type; use " + FhirMediaTypes.FHIR_JSON + " or " + FhirMediaTypes.FHIR_XML;
        }
        if (e instanceof NotSupportedException) {
            return "Content-Type not supported; send " + FhirMediaTypes.FHIR_JSON + " or " + FhirMediaTypes.FHIR_XML;
        }
        return e.getMessage();
    }

    private static IssueType issueType(WebApplicationException e) {
        if (e instanceof NotFoundException) {
            return IssueType.NOTFOUND;
        }
        if (e instanceof NotAllowedException || e instanceof NotAcceptableException || e instanceof NotSupportedException) {
            return IssueType.NOTSUPPORTED;
        }
        return IssueType.PROCESSING;
    }
}
