package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.fhir.validation.ValidationPackage;
import org.bastion.fhir.validation.ValidationPackages;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;

/** FHIR packages (.tgz) whose profiles, value sets and code systems the validator uses ($validate, validation on write). */
@Tag(name = "Validation packages", description = "FHIR NPM packages (US Core, JP Core, your own profiles) for $validate and validation on write")
@Path("packages")
public class PackagesResource {

    @EJB
    ValidationPackages packages;

    @Context
    SecurityContext security;

    @POST
    @Consumes({"application/gzip", "application/x-gzip", "application/x-tar", "application/tar+gzip", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Load a FHIR package", description = "The body is the package's .tgz as a registry serves it (at most 64 MB)."
            + " Its StructureDefinitions, ValueSets and CodeSystems are kept; a package of the same name is replaced. Every node uses it within 5 s.")
    @RequestBody(required = true, content = @Content(mediaType = "application/gzip", schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "201", description = "The package", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ValidationPackage")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public Response load(InputStream body) {
        ValidationPackage loaded = packages.load(body, security.getUserPrincipal().getName());
        return Response.status(201).entity(json(loaded).build().toString()).type(MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the loaded packages")
    @APIResponse(responseCode = "200", description = "The packages", content = @Content(mediaType = "application/json", schema = @Schema(ref = "ValidationPackages")))
    public String list() {
        jakarta.json.JsonArrayBuilder list = Json.createArrayBuilder();
        packages.list().forEach(p -> list.add(json(p)));
        return list.build().toString();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Remove a package", description = "Its profiles are no longer known: resources that declare them are refused while validation on write applies")
    @APIResponse(responseCode = "204", ref = "Done")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response delete(@PathParam("name") String name) {
        return packages.delete(name) ? Response.noContent().build() : AdminErrors.error(404, "not_found", "No package " + name);
    }

    private static JsonObjectBuilder json(ValidationPackage p) {
        return Json.createObjectBuilder().add("name", p.name()).add("version", p.version()).add("fhir_versions", p.fhirVersions())
                .add("resources", p.resources()).add("skipped", p.skipped()).add("loaded_by", String.valueOf(p.loadedBy()))
                .add("loaded_at", p.loadedAt().toString());
    }
}
