package org.bastion.admin.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.bastion.admin.application.Housekeeping;
import org.bastion.admin.domain.HousekeepingRun;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Locale;

/** Housekeeping: the size of the tables that grow with use, its last and next run, and a run on demand. */
@Tag(name = "Housekeeping", description = "Deleting expired authorization requests, codes, tokens and sessions")
@Path("housekeeping")
public class HousekeepingResource {

    @EJB
    Housekeeping housekeeping;

    @Context
    SecurityContext security;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Table sizes and housekeeping runs", description = "Row counts of the tables housekeeping trims and of audit_event"
            + " and fhir_resource, the last run (on any node) with the rows it deleted per table, this node's next scheduled run, and"
            + " the run holding the lease now, if one does; on H2, its file's size and the share of its chunks that is live (h2_file).")
    @APIResponse(responseCode = "200", description = "The tables and runs", content = @Content(mediaType = "application/json", schema = @Schema(ref = "Housekeeping")))
    public String read() {
        Housekeeping.Report report = housekeeping.report();
        JsonObjectBuilder sizes = Json.createObjectBuilder();
        report.sizes().forEach(sizes::add);
        JsonObjectBuilder body = Json.createObjectBuilder().add("schedule", Housekeeping.SCHEDULE).add("tables", sizes);
        report.lastRun().ifPresent(run -> body.add("last_run", json(run)));
        report.nextRun().ifPresent(next -> body.add("next_run", next.toString()));
        report.running().ifPresent(holder -> body.add("running", Json.createObjectBuilder().add("node", holder.node())
                .add("run", holder.run()).add("lease_expires_at", holder.until().toString())));
        report.embeddedStore().ifPresent(usage -> body.add("h2_file", Json.createObjectBuilder().add("bytes", usage.fileBytes())
                .add("chunks_fill_rate", usage.chunksFillRate()).add("fill_rate", usage.fillRate())));
        return body.build().toString();
    }

    @POST
    @Path("run")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run housekeeping now", description = "Deletes what has expired, on this node, and answers with the run."
            + " One run at a time across all nodes: while another holds the lease, 409 housekeeping_running names it and nothing is deleted.")
    @APIResponse(responseCode = "200", description = "The run", content = @Content(mediaType = "application/json", schema = @Schema(ref = "HousekeepingRun")))
    @APIResponse(responseCode = "409", ref = "HousekeepingRunning")
    public String run() {
        return json(housekeeping.runNow(security.getUserPrincipal().getName())).build().toString();
    }

    private static JsonObjectBuilder json(HousekeepingRun run) {
        JsonObjectBuilder deleted = Json.createObjectBuilder();
        Housekeeping.SWEPT.forEach(table -> deleted.add(table, run.deleted(table)));
        JsonObjectBuilder json = Json.createObjectBuilder().add("id", run.id()).add("node", run.node()).add("started_by", run.startedBy())
                .add("started_at", run.startedAt().toString()).add("finished_at", run.finishedAt().toString())
                .add("outcome", run.outcome().name().toLowerCase(Locale.ROOT)).add("deleted", deleted).add("deleted_total", run.deletedTotal());
        if (run.detail() != null) {
            json.add("detail", run.detail());
        }
        return json;
    }
}
