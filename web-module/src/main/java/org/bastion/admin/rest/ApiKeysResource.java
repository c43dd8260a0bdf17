package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.oauth.application.ApiKeys;
import org.bastion.oauth.domain.ApiKey;
import org.bastion.oauth.domain.SpaceDelimited;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/**
 * API keys for system integrations that cannot obtain tokens: issued for a client with some of its
 * scopes (and optionally one patient, or the patients an organization manages), shown once, listed without their secret, revoked at once.
 * The FHIR API accepts them only while the setting api_keys is on.
 */
@Tag(name = "API keys", description = "Keys (x-api-key) a system integration sends instead of an access token, when the setting api_keys is on")
@Path("api-keys")
public class ApiKeysResource {

    @EJB
    ApiKeys keys;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an API key", description = "The key is in the answer, once; only its hash is kept. It acts as client_id with scope"
            + " (each a scope the client may have: system/ scopes, or patient/ scopes with patient, or with organization for each patient whose managingOrganization it is) until expires_in_days (default 90) have passed,"
            + " or until expires_at, or until it is revoked.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "ApiKey")))
    @APIResponse(responseCode = "201", description = "The key", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ApiKey")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response issue(String body) {
        JsonObject json = AdminJson.object(body);
        ApiKeys.Issued issued = keys.issue(AdminJson.string(json, "name"), AdminJson.string(json, "client_id"),
                SpaceDelimited.list(AdminJson.string(json, "scope")), AdminJson.string(json, "patient"), AdminJson.string(json, "organization"),
                json.containsKey("expires_in_days") ? (Long) AdminJson.number(json, "expires_in_days", 0) : null,
                AdminJson.instant(json, "expires_at"), security.getUserPrincipal().getName());
        return Response.status(201).entity(json(issued.stored()).add("key", issued.key()).build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List API keys", description = "A client's keys (every key without client_id), newest first, without their secret")
    @APIResponse(responseCode = "200", description = "The keys", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ApiKeys")))
    public String list(@QueryParam("client_id") String clientId) {
        jakarta.json.JsonArrayBuilder list = Json.createArrayBuilder();
        keys.list(clientId == null || clientId.isBlank() ? null : clientId).forEach(key -> list.add(json(key)));
        return list.build().toString();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read an API key", description = "Without its secret")
    @APIResponse(responseCode = "200", description = "The key", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ApiKey")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response read(@PathParam("id") String id) {
        return keys.find(id).map(key -> Response.ok(json(key).build().toString(), MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> AdminErrors.error(404, "not_found", "No API key " + id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke an API key", description = "At once, on every node; the key stays listed as revoked")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response revoke(@PathParam("id") String id) {
        return keys.revoke(id, security.getUserPrincipal().getName()) ? Response.noContent().build()
                : AdminErrors.error(404, "not_found", "No API key " + id);
    }

    private static JsonObjectBuilder json(ApiKey key) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", key.id()).add("name", key.name()).add("client_id", key.clientId())
                .add("scope", String.join(" ", key.scope())).add("status", key.status(Instant.now()))
                .add("created_by", String.valueOf(key.createdBy())).add("created_at", key.createdAt().toString())
                .add("expires_at", key.expiresAt().toString());
        optional(json, "patient", key.patient());
        optional(json, "organization", key.organization());
        optional(json, "revoked_at", key.revokedAt());
        optional(json, "revoked_by", key.revokedBy());
        optional(json, "last_used_at", key.lastUsedAt());
        return json;
    }

    private static void optional(JsonObjectBuilder json, String field, Object value) {
        if (value != null) {
            json.add(field, value.toString());
        }
    }
}
