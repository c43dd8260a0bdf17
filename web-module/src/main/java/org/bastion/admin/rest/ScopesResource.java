package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bastion.oauth.application.ScopeCatalog;

import java.util.Locale;

/** The scope catalogue: PUT {name, description_en, description_ja} sets what the consent page shows for a scope. */
@Path("scopes")
public class ScopesResource {

    @EJB
    ScopeCatalog catalog;

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String describe(String body) {
        JsonObject json = AdminJson.object(body);
        var description = catalog.describe(AdminJson.string(json, "name"), AdminJson.string(json, "description_en"), AdminJson.string(json, "description_ja"));
        return Json.createObjectBuilder().add("name", description.name())
                .add("description_en", description.description(Locale.ENGLISH))
                .add("description_ja", description.description(Locale.JAPANESE)).build().toString();
    }
}
