package org.bastion.fhir.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.hl7.fhir.r4.model.Bundle;

import java.util.Date;

/** GET [base]/[type]: search. The repository holds no resources yet, so every search set is empty. */
@Path("{type}")
@RequiresBearerToken
public class TypeResource {

    @Context
    UriInfo uriInfo;

    @GET
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Bundle search(@PathParam("type") String type) {
        if (!Fhir.isResourceType(type)) {
            throw FhirException.unknownResourceType(type);
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(0);
        bundle.getMeta().setLastUpdated(new Date());
        bundle.addLink().setRelation("self").setUrl(uriInfo.getRequestUri().toString());
        return bundle;
    }
}
