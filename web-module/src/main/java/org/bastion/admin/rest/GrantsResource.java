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

/**
 * What users and clients hold: consents (GET /consents?user=&client=, DELETE /consents/{user}/{client},
 * which also revokes the client's tokens for the user) and live access tokens (GET /tokens?user=&client=,
 * POST /tokens/{jti}/revoke, which revokes the token's whole grant).
 */
@Path("")
public class GrantsResource {

    @EJB
    Grants grants;

    @GET
    @Path("consents")
    @Produces(MediaType.APPLICATION_JSON)
    public String consents(@QueryParam("user") String user, @QueryParam("client") String client) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        grants.consents(AdminJson.blankToNull(user), AdminJson.blankToNull(client)).forEach(c -> list.add(Json.createObjectBuilder().add("user", c.userId())
                .add("client_id", c.clientId()).add("scope", String.join(" ", c.scopes())).add("granted_at", c.grantedAt().toString())));
        return list.build().toString();
    }

    @DELETE
    @Path("consents/{user}/{client}")
    public Response revokeConsent(@PathParam("user") String user, @PathParam("client") String client) {
        return grants.revokeConsent(user, client) ? Response.noContent().build()
                : AdminErrors.error(404, "not_found", "User " + user + " has no consent for client " + client);
    }

    @GET
    @Path("tokens")
    @Produces(MediaType.APPLICATION_JSON)
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
    public Response revokeToken(@PathParam("jti") String jti) {
        return grants.revokeToken(jti).isPresent() ? Response.noContent().build()
                : AdminErrors.error(404, "not_found", "No access token " + jti);
    }
}
