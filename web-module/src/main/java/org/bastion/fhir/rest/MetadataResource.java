package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bastion.fhir.application.CapabilityStatementFactory;
import org.hl7.fhir.r4.model.CapabilityStatement;

/** GET [base]/metadata: the CapabilityStatement, readable without a token. */
@Path("metadata")
public class MetadataResource {

    @Inject
    CapabilityStatementFactory capabilities;

    @GET
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public CapabilityStatement metadata() {
        return capabilities.capabilityStatement();
    }
}
