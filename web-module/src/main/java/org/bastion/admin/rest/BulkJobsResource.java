package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
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
import jakarta.ws.rs.core.StreamingOutput;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.bulk.BulkExports;
import org.bastion.fhir.bulk.BulkImports;
import org.bastion.fhir.bulk.BulkJob;
import org.bastion.fhir.bulk.BulkJobView;
import org.bastion.fhir.bulk.BulkJobs;
import org.bastion.platform.BastionSettings;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Bulk data jobs for the console: every client's exports and imports with their progress, an
 * admin's own import of an uploaded file, cancelling any job, and an import's error file. Admins
 * see no exported resources here: those files go only to the client that asked for them.
 */
@Tag(name = "Bulk data", description = "Exports and imports (FHIR Bulk Data) of every client, and imports started by an admin")
@Path("bulk-jobs")
public class BulkJobsResource {

    @EJB
    BulkJobs jobs;

    @EJB
    BulkExports exports;

    @EJB
    BulkImports imports;

    @Inject
    BastionSettings settings;

    @Context
    SecurityContext security;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The latest bulk jobs", description = "Exports (kind=export, the default) or imports (kind=import) of every client,"
            + " newest first, at most 100: status, progress in words, resources written per type and failed lines.")
    @APIResponse(responseCode = "200", description = "The jobs, newest first")
    public String list(@QueryParam("kind") String kind) {
        BulkJob.Kind which = "import".equals(kind) ? BulkJob.Kind.IMPORT : BulkJob.Kind.EXPORT;
        JsonArrayBuilder list = Json.createArrayBuilder();
        jobs.recent(which, 100).forEach(job -> list.add(json(BulkJobView.of(job))));
        return list.build().toString();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One bulk job")
    @APIResponse(responseCode = "200", description = "The job: status, progress, counts, failed lines")
    @APIResponse(responseCode = "404", description = "No such job")
    public Response read(@PathParam("id") String id) {
        return jobs.find(id).map(job -> Response.ok(json(BulkJobView.of(job)).build().toString(), MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> AdminErrors.error(404, "not_found", "No bulk job " + id));
    }

    @POST
    @Path("imports")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a file as an admin", description = "The body (NDJSON, a resource of the type a line; or with"
            + " format=json one JSON resource such as a transaction Bundle) is stored, then imported with system/*.cu for as long as"
            + " the admin stays an enabled admin. 202 with the job; its progress and error file are read here.")
    @APIResponse(responseCode = "202", description = "The job, accepted")
    @APIResponse(responseCode = "400", description = "No type, an unknown type, or an empty body")
    public Response startImport(@QueryParam("type") String type, @QueryParam("format") String format, InputStream body) {
        try {
            String id = imports.adminImport(security.getUserPrincipal().getName(), type, !"json".equals(format), body,
                    settings.baseUrl() + "/admin/api/bulk-jobs/imports");
            return Response.accepted(json(BulkJobView.of(jobs.find(id).orElseThrow())).build().toString()).type(MediaType.APPLICATION_JSON).build();
        } catch (FhirException e) {
            return AdminErrors.error(e.status(), "invalid_request", e.getMessage());
        }
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a bulk job", description = "Running or finished, of any client: it stops at its next chunk, its files go.")
    @APIResponse(responseCode = "204", description = "Cancelled")
    @APIResponse(responseCode = "404", description = "No such job, or cancelled already")
    public Response cancel(@PathParam("id") String id) {
        return exports.adminCancel(id) ? Response.noContent().build() : AdminErrors.error(404, "not_found", "No bulk job " + id + " to cancel");
    }

    @GET
    @Path("{id}/errors.ndjson")
    @Operation(summary = "A bulk job's error file", description = "An OperationOutcome a line: each failed line of an import with its number,"
            + " or what an export left out.")
    @APIResponse(responseCode = "200", description = "The error file, application/fhir+ndjson")
    @APIResponse(responseCode = "404", description = "No such job, or no error file")
    public Response errors(@PathParam("id") String id) {
        return exports.errorFile(id).map(file -> {
            StreamingOutput body = output -> {
                try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
                    channel.transferTo(0, file.bytes(), Channels.newChannel(output));
                }
            };
            return Response.ok(body, "application/fhir+ndjson").build();
        }).orElseGet(() -> AdminErrors.error(404, "not_found", "Bulk job " + id + " has no error file"));
    }

    private static JsonObjectBuilder json(BulkJobView view) {
        BulkJob job = view.job();
        JsonObjectBuilder counts = Json.createObjectBuilder();
        view.counts().forEach(counts::add);
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", job.id()).add("kind", job.kind().name().toLowerCase(Locale.ROOT))
                .add("status", job.status().name().toLowerCase(Locale.ROOT)).add("client_id", job.clientId())
                .add("created_at", job.createdAt().toString()).add("request", job.requestUrl()).add("progress", view.progress())
                .add("done", view.done()).add("resources", view.resources()).add("counts", counts).add("errors", view.errors());
        if (job.finishedAt() != null) {
            json.add("finished_at", job.finishedAt().toString());
        }
        if (job.expiresAt() != null) {
            json.add("expires_at", job.expiresAt().toString());
        }
        if (job.message() != null) {
            json.add("message", job.message());
        }
        return json;
    }
}
