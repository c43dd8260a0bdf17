package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.bastion.oauth.application.ScopeCatalog;

import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The scope catalogue: PUT {name, description_en, description_ja} sets what the consent page shows for a scope. */
@Tag(name = "Scopes", description = "The scope descriptions shown on the consent page, in English and Japanese")
@Path("scopes")
public class ScopesResource {

    @EJB
    ScopeCatalog catalog;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List scope descriptions")
    @APIResponse(responseCode = "200", description = "The descriptions", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ScopeDescriptions")))
    public String list() {
        jakarta.json.JsonArrayBuilder all = Json.createArrayBuilder();
        catalog.described().forEach(d -> all.add(view(d)));
        return all.build().toString();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Remove a scope description")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response remove(@PathParam("name") String name) {
        return catalog.remove(name) ? Response.noContent().build() : AdminErrors.error(404, "not_found", "No scope description " + name);
    }

    private static jakarta.json.JsonObjectBuilder view(org.bastion.oauth.domain.ScopeDescription description) {
        return Json.createObjectBuilder().add("name", description.name())
                .add("description_en", description.description(Locale.ENGLISH))
                .add("description_ja", description.description(Locale.JAPANESE));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Describe a scope", description = "Creates or replaces the description of a scope.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json", schema = @Schema(ref = "ScopeDescription")))
    @APIResponse(responseCode = "200", description = "The description", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ScopeDescription")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public String describe(String body) {
        JsonObject json = AdminJson.object(body);
        var description = catalog.describe(AdminJson.string(json, "name"), AdminJson.string(json, "description_en"), AdminJson.string(json, "description_ja"));
        return view(description).build().toString();
    }
}
