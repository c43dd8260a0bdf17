package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.hl7.fhir.r4.model.Bundle;


/** [base]/[type]/_history: the changes to every resource of a type, newest first. */
@Path("{type}/_history")
@RequiresBearerToken
public class TypeHistoryResource {

    @Inject
    Bundles bundles;

    @Context
    UriInfo uriInfo;

    @GET
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Bundle history(@PathParam("type") String type) {
        return bundles.history(TypeResource.known(type), null, uriInfo);
    }

}
