package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.oauth.application.LaunchContexts;
import org.bastion.oauth.domain.LaunchContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * EHR launch handles (SMART App Launch 2 §2.0.4): what an EHR, or the console, passes to an app
 * as launch= so that it opens on a patient (and encounter).
 */
@Tag(name = "EHR launch", description = "Launch handles for SMART EHR launch")
@Path("launches")
public class LaunchesResource {

    @EJB
    LaunchContexts launches;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a launch handle", description = "For a patient (and encounter), an app (client_id) and the user who opens it (username; default: the admin making it): pass it to that app as launch= with iss= the FHIR base URL. Good once, for 5 minutes.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "Launch")))
    @APIResponse(responseCode = "201", description = "The handle", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Launch")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response create(String body) {
        JsonObject json = AdminJson.object(body);
        LaunchContext context = launches.create(AdminJson.string(json, "patient"), AdminJson.string(json, "encounter"),
                AdminJson.string(json, "client_id"), AdminJson.string(json, "username"), security.getUserPrincipal().getName());
        JsonObjectBuilder result = Json.createObjectBuilder().add("launch", context.handle()).add("patient", context.patient())
                .add("client_id", context.clientId())
                .add("expires_at", context.expiresAt().toString());
        if (context.encounter() != null) {
            result.add("encounter", context.encounter());
        }
        return Response.status(201).entity(result.build().toString()).build();
    }
}
