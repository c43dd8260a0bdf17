package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.hl7.fhir.r4.model.Bundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** [base]/[type]/_search: search by form POST (R4 http.html#search). Its own root path, so [type]/[id] cannot claim it. */
@Path("{type}/_search")
@RequiresBearerToken
public class TypeSearchResource {

    @Inject
    Bundles bundles;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Searchset searchByPost(@PathParam("type") String type, MultivaluedMap<String, String> form) {
        Map<String, List<String>> params = new LinkedHashMap<>(uriInfo.getQueryParameters());
        params.putAll(form);
        return bundles.search(TypeResource.known(type), params, headers);
    }

}
