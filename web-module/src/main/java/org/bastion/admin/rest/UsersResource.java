package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.identity.application.UserService;
import org.bastion.identity.domain.BastionUser;

import java.net.URI;

/** Users who sign in at /oauth2: their password, fhirUser link, roles and locale. */
@Path("users")
public class UsersResource {

    @EJB
    UserService users;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        JsonObject json = AdminJson.object(body);
        String password = AdminJson.string(json, "password");
        BastionUser user = users.create(AdminJson.string(json, "username"), password == null ? null : password.toCharArray(),
                AdminJson.string(json, "fhirUser"), AdminJson.strings(json, "roles"), AdminJson.string(json, "locale"));
        return Response.created(URI.create("users/" + user.id())).entity(view(user).build().toString()).build();
    }

    static JsonObjectBuilder view(BastionUser user) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", user.id()).add("username", user.username())
                .add("roles", Json.createArrayBuilder(user.roles())).add("enabled", user.enabled());
        if (user.fhirUser() != null) {
            json.add("fhirUser", user.fhirUser());
        }
        if (user.locale() != null) {
            json.add("locale", user.locale());
        }
        return json;
    }
}
