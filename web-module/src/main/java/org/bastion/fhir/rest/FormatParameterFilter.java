package org.bastion.fhir.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.bastion.fhir.application.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** _format overrides the Accept header (FHIR R4 http.html#mime-type), so content negotiation sees one answer. */
@Provider
@PreMatching
public class FormatParameterFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String format = request.getUriInfo().getQueryParameters().getFirst("_format");
        if (format == null) {
            return;
        }
        MediaType type = FhirMediaTypes.fromFormatParameter(format).orElseThrow(() -> new FhirException(406, IssueType.NOTSUPPORTED,
                "_format '" + format + "' is not supported; use json, xml, " + FhirMediaTypes.FHIR_JSON + " or " + FhirMediaTypes.FHIR_XML));
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, type.toString());
    }
}
