package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.identity.application.UserService;
import org.bastion.identity.domain.BastionUser;
import org.bastion.smart.domain.Reach;

import java.net.URI;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Users who sign in at /oauth2: their password, fhirUser link, roles and locale. */
@Tag(name = "Users", description = "People who sign in at /oauth2")
@Path("users")
public class UsersResource {

    @EJB
    UserService users;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a user")
    @RequestBody(ref = "User")
    @APIResponse(responseCode = "201", ref = "User")
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response create(String body) {
        JsonObject json = AdminJson.object(body);
        String password = AdminJson.string(json, "password");
        BastionUser user = users.create(AdminJson.string(json, "username"), password == null ? null : password.toCharArray(),
                AdminJson.string(json, "fhirUser"), AdminJson.strings(json, "roles"), AdminJson.string(json, "locale"));
        if (json.containsKey("all_patients") || json.containsKey("patients")) {
            user = users.update(user.id(), user.fhirUser(), user.roles(), user.locale(), true,
                    json.containsKey("all_patients") && AdminJson.bool(json, "all_patients"), AdminJson.strings(json, "patients"));
        }
        return Response.created(URI.create("users/" + user.id())).entity(view(user, users).build().toString()).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List and search users", description = "q matches the username; _count (1-500, default 50) and _offset page.")
    @APIResponse(responseCode = "200", description = "The users", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Users")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public String list(@QueryParam("q") String q, @QueryParam("_count") String count, @QueryParam("_offset") String offset) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        users.list(q, AdminJson.number("_offset", offset, 0, 0, Integer.MAX_VALUE), AdminJson.number("_count", count, 50, 1, 500))
                .forEach(u -> list.add(view(u, users)));
        return list.build().toString();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read a user")
    @APIResponse(responseCode = "200", ref = "User")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String read(@PathParam("id") String id) {
        return view(user(id), users).build().toString();
    }

    /** fhirUser, roles, locale and enabled; a field left out keeps its value. */
    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a user", description = "fhirUser, roles, locale and enabled; a field left out keeps its value. The last enabled admin keeps the admin role.")
    @RequestBody(ref = "User")
    @APIResponse(responseCode = "200", ref = "User")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public String update(@PathParam("id") String id, String body) {
        BastionUser user = user(id);
        JsonObject json = AdminJson.object(body);
        String fhirUser = json.containsKey("fhirUser") ? AdminJson.string(json, "fhirUser") : user.fhirUser();
        Set<String> roles = json.containsKey("roles") ? AdminJson.strings(json, "roles") : user.roles();
        String locale = json.containsKey("locale") ? AdminJson.string(json, "locale") : user.locale();
        boolean enabled = json.containsKey("enabled") ? AdminJson.bool(json, "enabled") : user.enabled();
        boolean allPatients = json.containsKey("all_patients") ? AdminJson.bool(json, "all_patients") : user.allPatients();
        Set<String> patients = json.containsKey("patients") ? AdminJson.strings(json, "patients") : user.patients();
        return view(users.update(id, fhirUser == null || fhirUser.isBlank() ? null : fhirUser, roles, locale, enabled, allPatients, patients),
                users).build().toString();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a user", description = "Their tokens, sessions and consents end at once; the audit trail keeps their id. The last enabled admin cannot be deleted.")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@PathParam("id") String id) {
        user(id);
        users.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a user's password", description = "Body {\"password\": \"...\"}, at least 8 characters.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "User")))
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response resetPassword(@PathParam("id") String id, String body) {
        user(id);
        String password = AdminJson.string(AdminJson.object(body), "password");
        users.resetPassword(id, password == null ? null : password.toCharArray());
        return Response.noContent().build();
    }

    private BastionUser user(String id) {
        return users.find(id).orElseThrow(() -> new jakarta.ws.rs.NotFoundException("No user " + id));
    }

    /** The user, with their reach: all_patients and patients as an admin granted them, and reach as the server decides it. */
    static JsonObjectBuilder view(BastionUser user, UserService users) {
        Reach reach = users.reach(user);
        String kind = reach instanceof Reach.Everything ? "all-patients" : reach instanceof Reach.Nothing ? "nothing"
                : user.fhirUser() != null && user.fhirUser().startsWith("Patient/") ? "own-record"
                : user.fhirUser() != null && user.fhirUser().startsWith("RelatedPerson/") ? "linked-patients" : "listed-patients";
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", user.id()).add("username", user.username())
                .add("roles", Json.createArrayBuilder(user.roles())).add("enabled", user.enabled())
                .add("all_patients", user.allPatients()).add("patients", Json.createArrayBuilder(new java.util.TreeSet<>(user.patients())))
                .add("reach", kind)
                .add("created_at", user.createdAt().toString());
        if (user.fhirUser() != null) {
            json.add("fhirUser", user.fhirUser());
        }
        if (user.locale() != null) {
            json.add("locale", user.locale());
        }
        return json;
    }
}
