package org.bastion.fhir.rest;

import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bastion.fhir.application.FhirException;

@Provider
public class FhirExceptionMapper implements ExceptionMapper<FhirException> {

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(FhirException e) {
        if (e.outcome() != null) {
            org.bastion.platform.rest.RequestMetrics.noteRefusal(e.issueType().toCode());
            return Response.status(e.status()).entity(e.outcome()).type(FhirMediaTypes.preferred(headers)).build();
        }
        return OperationOutcomes.error(e.status(), e.issueType(), e.getMessage(), headers).build();
    }
}
