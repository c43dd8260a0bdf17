package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.Grants;
import org.bastion.platform.InvalidInputException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What users and clients hold: consents (GET /consents?user=&client=, DELETE /consents/{user}/{client},
 * which also revokes the client's tokens for the user) and live access tokens (GET /tokens?user=&client=,
 * POST /tokens/{jti}/revoke, which revokes the token's whole grant).
 */
@Tag(name = "Consents and tokens", description = "What users granted to clients, and the live access tokens")
@Path("")
public class GrantsResource {

    @EJB
    Grants grants;

    @GET
    @Path("consents")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List consents", description = "By user (id) and/or client (client_id).")
    @APIResponse(responseCode = "200", description = "The consents", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Consents")))
    public String consents(@QueryParam("user") String user, @QueryParam("client") String client) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        grants.consents(AdminJson.blankToNull(user), AdminJson.blankToNull(client)).forEach(c -> list.add(Json.createObjectBuilder().add("user", c.userId())
                .add("client_id", c.clientId()).add("scope", String.join(" ", c.scopes())).add("granted_at", c.grantedAt().toString())));
        return list.build().toString();
    }

    @DELETE
    @Path("consents/{user}/{client}")
    @Operation(summary = "Withdraw a consent", description = "The user is asked again next time; the tokens issued under it are revoked.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response revokeConsent(@PathParam("user") String user, @PathParam("client") String client) {
        return grants.revokeConsent(user, client) ? Response.noContent().build()
                : AdminErrors.error(404, "not_found", "User " + user + " has no consent for client " + client);
    }

    @GET
    @Path("tokens")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List live access tokens", description = "Of a user (sub) or a client; _count and _offset page.")
    @APIResponse(responseCode = "200", description = "The tokens", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Tokens")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public String tokens(@QueryParam("user") String user, @QueryParam("client") String client,
                         @QueryParam("_count") String count, @QueryParam("_offset") String offset) {
        if (AdminJson.blankToNull(user) == null && AdminJson.blankToNull(client) == null) {
            throw new InvalidInputException("user", "or client is required: list the tokens of a user (sub) or of a client");
        }
        JsonArrayBuilder list = Json.createArrayBuilder();
        grants.activeTokens(AdminJson.blankToNull(user), AdminJson.blankToNull(client), AdminJson.number("_offset", offset, 0, 0, Integer.MAX_VALUE),
                AdminJson.number("_count", count, 50, 1, 500)).forEach(t -> list.add(Json.createObjectBuilder().add("jti", t.jti())
                .add("client_id", t.clientId()).add("sub", String.valueOf(t.subject())).add("scope", String.valueOf(t.scope()))
                .add("issued_at", t.issuedAt().toString()).add("expires_at", t.expiresAt().toString())));
        return list.build().toString();
    }

    @POST
    @Path("tokens/{jti}/revoke")
    @Operation(summary = "Revoke an access token", description = "By its jti; the refresh token of the same grant is revoked too.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response revokeToken(@PathParam("jti") String jti) {
        return grants.revokeToken(jti).isPresent() ? Response.noContent().build()
                : AdminErrors.error(404, "not_found", "No access token " + jti);
    }
}
