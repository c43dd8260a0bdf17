package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.oauth.application.InitialAccessTokens;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Initial access tokens for dynamic client registration (RFC 7591 §3), shown once. */
@Tag(name = "Initial access tokens", description = "Tokens that allow dynamic client registration (RFC 7591) when registration is not open")
@Path("initial-access-tokens")
public class InitialAccessTokensResource {

    @EJB
    InitialAccessTokens tokens;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an initial access token", description = "The token is in the answer, once. approved_grant_types and approved_scope: the approval clients registered with it start with.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "InitialAccessToken")))
    @APIResponse(responseCode = "201", description = "The token", content = @Content(mediaType = "application/json", schema = @Schema(ref = "InitialAccessToken")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response issue(String body) {
        JsonObject json = AdminJson.object(body);
        java.util.List<String> grants = java.util.List.copyOf(AdminJson.strings(json, "approved_grant_types"));
        java.util.List<String> scope = org.bastion.oauth.domain.SpaceDelimited.list(AdminJson.string(json, "approved_scope"));
        InitialAccessTokens.Issued issued = tokens.issue((int) AdminJson.number(json, "uses", 1), AdminJson.number(json, "expires_in", 86_400),
                security.getUserPrincipal().getName(), grants, scope);
        return Response.status(201).entity(Json.createObjectBuilder().add("token", issued.token())
                .add("expires_at", issued.expiresAt().toString()).add("uses", issued.uses())
                .add("approved_grant_types", Json.createArrayBuilder(grants)).add("approved_scope", String.join(" ", scope))
                .build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List usable initial access tokens")
    @APIResponse(responseCode = "200", description = "The tokens (without their value)", content = @Content(mediaType = "application/json", schema = @Schema(ref = "InitialAccessTokens")))
    public String list() {
        jakarta.json.JsonArrayBuilder list = Json.createArrayBuilder();
        for (var token : tokens.usable()) {
            list.add(Json.createObjectBuilder().add("id", token.id()).add("created_by", String.valueOf(token.createdBy()))
                    .add("created_at", token.createdAt().toString()).add("expires_at", token.expiresAt().toString())
                    .add("remaining_uses", token.remainingUses())
                    .add("approved_grant_types", Json.createArrayBuilder(token.approvedGrantTypes()))
                    .add("approved_scope", String.join(" ", token.approvedScope())));
        }
        return list.build().toString();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an initial access token")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response revoke(@PathParam("id") String id) {
        return tokens.revoke(id) ? Response.noContent().build() : AdminErrors.error(404, "not_found", "No initial access token " + id);
    }
}
