package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.rest.RegistrationResource;
import org.bastion.platform.InvalidInputException;

import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Registered clients: list and search, create (as the console registers them), read, update,
 * delete, disable and enable, and a new secret (shown once). Metadata is RFC 7591's.
 */
@Tag(name = "Clients", description = "Registered OAuth clients (RFC 7591 metadata)")
@Path("clients")
public class ClientsResource {

    @EJB
    ClientRegistry registry;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List and search clients", description = "q matches the client id or name; _count (1-500, default 50) and _offset page.")
    @APIResponse(responseCode = "200", description = "A page of clients", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ClientPage")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public String list(@QueryParam("q") String q, @QueryParam("_count") String count, @QueryParam("_offset") String offset) {
        int size = AdminJson.number("_count", count, 50, 1, 500);
        int first = AdminJson.number("_offset", offset, 0, 0, Integer.MAX_VALUE);
        JSONArray clients = new JSONArray();
        registry.list(q, first, size).forEach(c -> clients.add(view(c)));
        JSONObject page = new JSONObject();
        page.put("total", registry.count(q));
        page.put("clients", clients);
        return page.toJSONString();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a client", description = "As dynamic registration would, but without an initial access token. A confidential client's secret is in the answer, once.")
    @RequestBody(ref = "Client")
    @APIResponse(responseCode = "201", ref = "Client")
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response create(String body) throws OAuthException {
        ClientRegistry.Registered registered = registry.register(RegistrationResource.metadata(body), false);
        JSONObject json = view(registered.client());
        if (registered.secret() != null) {
            json.put("client_secret", registered.secret());
        }
        return Response.created(URI.create("clients/" + registered.client().clientId())).entity(json.toJSONString()).build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read a client")
    @APIResponse(responseCode = "200", ref = "Client")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String read(@PathParam("id") String id) {
        return view(client(id)).toJSONString();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a client's registration", description = "The whole metadata, as on create; a client changed to confidential gets a secret, shown once.")
    @RequestBody(ref = "Client")
    @APIResponse(responseCode = "200", ref = "Client")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String update(@PathParam("id") String id, String body) throws OAuthException {
        OAuthClient client = changeable(id);
        ClientRegistry.Registered updated = registry.update(client, RegistrationResource.metadata(body));
        JSONObject json = view(updated.client());
        if (updated.secret() != null) {
            json.put("client_secret", updated.secret());
        }
        return json.toJSONString();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a client", description = "Its tokens stop working at once.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@PathParam("id") String id) {
        registry.delete(changeable(id));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/secret")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make a new client secret", description = "The old secret stops working; the new one is in the answer, once.")
    @APIResponse(responseCode = "200", description = "client_id and the new client_secret", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Client")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String regenerateSecret(@PathParam("id") String id) throws OAuthException {
        String secret = registry.regenerateSecret(client(id));
        return Json.createObjectBuilder().add("client_id", id).add("client_secret", secret).build().toString();
    }

    @POST
    @Path("{id}/disable")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Disable a client", description = "It gets no tokens and its tokens are refused until it is enabled again.")
    @APIResponse(responseCode = "200", ref = "Client")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String disable(@PathParam("id") String id) {
        return view(registry.enable(changeable(id), false)).toJSONString();
    }

    @POST
    @Path("{id}/enable")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable a disabled client")
    @APIResponse(responseCode = "200", ref = "Client")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String enable(@PathParam("id") String id) {
        return view(registry.enable(client(id), true)).toJSONString();
    }

    @PUT
    @Path("{id}/trust")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Decide what a client is trusted with", description = "approved_grant_types and approved_scope: what a self-registered client"
            + " may have beyond the registration policy; jwt_bearer_subjects: usernames or role:<name> it may name as sub in the JWT bearer grant;"
            + " resource_server: whether it may introspect other clients' tokens. A field left out keeps its value.")
    @RequestBody(ref = "Client")
    @APIResponse(responseCode = "200", ref = "Client")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String trust(@PathParam("id") String id, String body) {
        OAuthClient client = changeable(id);
        jakarta.json.JsonObject json = AdminJson.object(body);
        java.util.List<String> grants = json.containsKey("approved_grant_types")
                ? java.util.List.copyOf(AdminJson.strings(json, "approved_grant_types")) : client.approvedGrantTypes();
        java.util.List<String> scope = json.containsKey("approved_scope")
                ? org.bastion.oauth.domain.SpaceDelimited.list(AdminJson.string(json, "approved_scope")) : client.approvedScope();
        java.util.List<String> subjects = json.containsKey("jwt_bearer_subjects")
                ? java.util.List.copyOf(AdminJson.strings(json, "jwt_bearer_subjects")) : client.jwtBearerSubjects();
        boolean resourceServer = json.containsKey("resource_server") ? AdminJson.bool(json, "resource_server") : client.resourceServer();
        return view(registry.trust(client, grants, scope, subjects, resourceServer)).toJSONString();
    }

    private OAuthClient client(String id) {
        return registry.find(id).orElseThrow(() -> new jakarta.ws.rs.NotFoundException("No client " + id));
    }

    /** Any client but the console's own, which the console needs to sign admins in. */
    private OAuthClient changeable(String id) {
        if (ClientRegistry.CONSOLE_CLIENT_ID.equals(id)) {
            throw new InvalidInputException("client_id", "'" + id + "' is the console's own client; it cannot be changed, disabled or deleted");
        }
        return client(id);
    }

    private static JSONArray array(java.util.List<String> values) {
        JSONArray array = new JSONArray();
        array.addAll(values);
        return array;
    }

    /** The registered metadata with the client's id, kind, how it was registered, state and creation time. */
    static JSONObject view(OAuthClient client) {
        JSONObject json = client.metadata().toJSONObject();
        json.put("client_id", client.clientId());
        json.put("client_type", client.isPublic() ? "public" : "confidential");
        json.put("registration", client.dynamic() ? "dynamic" : "console");
        json.put("trust", client.selfRegistered() ? "self-registered" : "admin");
        json.put("approved_grant_types", array(client.approvedGrantTypes()));
        json.put("approved_scope", String.join(" ", client.approvedScope()));
        json.put("jwt_bearer_subjects", array(client.jwtBearerSubjects()));
        json.put("resource_server", client.resourceServer());
        json.put("enabled", client.enabled());
        json.put("created_at", client.createdAt().toString());
        return json;
    }
}
