package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
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
import org.bastion.platform.InvalidInputException;

/** Initial access tokens for dynamic client registration (RFC 7591 §3), shown once. */
@Path("initial-access-tokens")
public class InitialAccessTokensResource {

    @EJB
    InitialAccessTokens tokens;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response issue(String body) {
        JsonObject json = AdminJson.object(body);
        InitialAccessTokens.Issued issued = tokens.issue((int) number(json, "uses", 1), number(json, "expires_in", 86_400),
                security.getUserPrincipal().getName());
        return Response.status(201).entity(Json.createObjectBuilder().add("token", issued.token())
                .add("expires_at", issued.expiresAt().toString()).add("uses", issued.uses()).build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        jakarta.json.JsonArrayBuilder list = Json.createArrayBuilder();
        for (var token : tokens.usable()) {
            list.add(Json.createObjectBuilder().add("id", token.id()).add("created_by", String.valueOf(token.createdBy()))
                    .add("created_at", token.createdAt().toString()).add("expires_at", token.expiresAt().toString())
                    .add("remaining_uses", token.remainingUses()));
        }
        return list.build().toString();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        return tokens.revoke(id) ? Response.noContent().build() : AdminErrors.error(404, "not_found", "No initial access token " + id);
    }

    private static long number(JsonObject json, String field, long fallback) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return fallback;
        }
        if (!(value instanceof JsonNumber n) || !n.isIntegral()) {
            throw new InvalidInputException(field, "must be a whole number");
        }
        return n.longValue();
    }
}
