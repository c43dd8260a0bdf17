package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** [base]/[type]/[id]: read, update (also create with a client id), delete, vread and instance history. */
@Path("{type}/{id}")
@RequiresBearerToken
public class InstanceResource {

    @EJB
    FhirRepository repository;

    @Inject
    BastionSettings settings;

    @Inject
    Bundles bundles;

    @Context
    HttpHeaders headers;

    @Context
    UriInfo uriInfo;

    @GET
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response read(@PathParam("type") String type, @PathParam("id") String id) {
        return FhirResponses.stored(repository.readJson(TypeResource.known(type), id));
    }

    @PUT
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response update(@PathParam("type") String type, @PathParam("id") String id, Resource resource) {
        TypeResource.matches(TypeResource.known(type), resource);
        FhirRepository.Stored stored = repository.update(type, id, resource, headers.getHeaderString(HttpHeaders.IF_MATCH));
        return FhirResponses.written(stored.created() ? 201 : 200, stored.resource(), settings.fhirBase(), headers.getHeaderString("Prefer"));
    }

    /** JSON Patch (RFC 6902) of the current version, checked as strictly as an update (R4 http.html#patch). */
    @jakarta.ws.rs.PATCH
    @Consumes("application/json-patch+json")
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response patch(@PathParam("type") String type, @PathParam("id") String id, String patch) {
        Resource current = repository.read(TypeResource.known(type), id);
        Resource patched = JsonPatches.apply(current, patch);
        TypeResource.matches(type, patched);
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        FhirRepository.Stored stored = repository.update(type, id, patched, ifMatch != null ? ifMatch : current.getMeta().getVersionId());
        return FhirResponses.written(200, stored.resource(), settings.fhirBase(), headers.getHeaderString("Prefer"));
    }

    @DELETE
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response delete(@PathParam("type") String type, @PathParam("id") String id) {
        repository.delete(TypeResource.known(type), id);
        return Response.noContent().build();
    }

    @GET
    @Path("_history/{version}")
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response vread(@PathParam("type") String type, @PathParam("id") String id, @PathParam("version") String version) {
        return FhirResponses.resource(200, repository.vread(TypeResource.known(type), id, version)).build();
    }

    @GET
    @Path("$everything")
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Bundle everything(@PathParam("type") String type, @PathParam("id") String id) {
        if (!"Patient".equals(type)) {
            throw new org.bastion.fhir.application.FhirException(404, org.hl7.fhir.r4.model.OperationOutcome.IssueType.NOTSUPPORTED,
                    "$everything is an operation of Patient, not of " + type);
        }
        return bundles.everything(id, uriInfo.getQueryParameters());
    }

    /** Compartment search (R4 http.html#vsearch): [base]/Patient/123/Observation?code=... */
    @GET
    @Path("{compartmentMember}")
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Searchset compartment(@PathParam("type") String type, @PathParam("id") String id, @PathParam("compartmentMember") String member) {
        return bundles.search(TypeResource.known(member), uriInfo.getQueryParameters(), headers, TypeResource.known(type), id);
    }

    @GET
    @Path("_history")
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Bundle history(@PathParam("type") String type, @PathParam("id") String id) {
        return bundles.history(TypeResource.known(type), id, uriInfo);
    }
}
