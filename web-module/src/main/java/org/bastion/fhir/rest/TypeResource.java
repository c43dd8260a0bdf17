package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;


/** [base]/[type]: search (GET) and create (POST). */
@Path("{type}")
@RequiresBearerToken
public class TypeResource {

    @EJB
    FhirRepository repository;

    @Inject
    BastionSettings settings;

    @Inject
    Bundles bundles;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @GET
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Searchset search(@PathParam("type") String type) {
        return bundles.search(known(type), uriInfo.getQueryParameters(), headers);
    }

    @POST
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response create(@PathParam("type") String type, Resource resource) {
        matches(known(type), resource);
        FhirRepository.Stored stored = repository.create(type, resource, headers.getHeaderString("If-None-Exist"));
        return FhirResponses.written(stored.created() ? 201 : 200, stored.resource(), settings.fhirBase(), headers.getHeaderString("Prefer"));
    }

    /** Conditional update: PUT [base]/[type]?conditions. */
    @jakarta.ws.rs.PUT
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response conditionalUpdate(@PathParam("type") String type, Resource resource) {
        matches(known(type), resource);
        String conditions = conditions();
        FhirRepository.Stored stored = repository.conditionalUpdate(type, conditions, resource);
        return FhirResponses.written(stored.created() ? 201 : 200, stored.resource(), settings.fhirBase(), headers.getHeaderString("Prefer"));
    }

    /** Conditional delete: DELETE [base]/[type]?conditions. */
    @jakarta.ws.rs.DELETE
    public Response conditionalDelete(@PathParam("type") String type) {
        repository.conditionalDelete(known(type), conditions());
        return Response.noContent().build();
    }

    private String conditions() {
        String query = uriInfo.getRequestUri().getRawQuery();
        if (query == null || query.isBlank()) {
            throw new FhirException(412, IssueType.REQUIRED, "A conditional update or delete needs search parameters: [type]?name=value");
        }
        return query;
    }

    static String known(String type) {
        if (!Fhir.isResourceType(type)) {
            throw FhirException.unknownResourceType(type);
        }
        return type;
    }

    static void matches(String type, Resource resource) {
        if (!type.equals(resource.fhirType())) {
            throw new FhirException(400, IssueType.INVALID, "The body is a " + resource.fhirType() + " but the URL names " + type);
        }
    }
}
