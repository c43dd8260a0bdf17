package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.bulk.ExportRequest;
import org.hl7.fhir.r4.model.Resource;

/** [base]/Group/[id]/$export: the Patient compartments of the group's active patient members (Bulk Data IG 2.0, group level). */
@Path("Group/{id}/$export")
@RequiresBearerToken
public class GroupExportResource {

    @Inject
    ExportKickOffs kickOffs;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @Context
    SecurityContext security;

    @GET
    public Response get(@PathParam("id") String id) {
        return kickOffs.kickOff(ExportRequest.Level.GROUP, id, null, uriInfo, headers, security);
    }

    /** A POST kick-off without a body (and so without a Content-Type), as some clients send it: the query's parameters only. */
    @POST
    public Response postWithoutBody(@PathParam("id") String id) {
        return kickOffs.kickOff(ExportRequest.Level.GROUP, id, null, uriInfo, headers, security);
    }

    @POST
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
    public Response post(@PathParam("id") String id, Resource parameters) {
        return kickOffs.kickOff(ExportRequest.Level.GROUP, id, parameters, uriInfo, headers, security);
    }
}
