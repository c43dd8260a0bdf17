package org.bastion.fhir.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.bulk.ExportRequest;
import org.hl7.fhir.r4.model.Resource;

/** [base]/$export: every resource of the types the token may read (Bulk Data IG 2.0, system level). */
@Path("$export")
@RequiresBearerToken
public class ExportResource {

    @Inject
    ExportKickOffs kickOffs;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @Context
    SecurityContext security;

    ExportRequest.Level level() {
        return ExportRequest.Level.SYSTEM;
    }

    @GET
    public Response get() {
        return kickOffs.kickOff(level(), null, null, uriInfo, headers, security);
    }

    /** A POST kick-off without a body (and so without a Content-Type), as some clients send it: the query's parameters only. */
    @POST
    public Response postWithoutBody() {
        return kickOffs.kickOff(level(), null, null, uriInfo, headers, security);
    }

    @POST
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
    public Response post(Resource parameters) {
        return kickOffs.kickOff(level(), null, parameters, uriInfo, headers, security);
    }

    /** [base]/Patient/$export: the Patient compartments of every patient, or of the patient parameter's (patient level). */
    @Path("Patient/$export")
    @RequiresBearerToken
    public static class PatientLevel extends ExportResource {
        @Override
        ExportRequest.Level level() {
            return ExportRequest.Level.PATIENT;
        }
    }
}
