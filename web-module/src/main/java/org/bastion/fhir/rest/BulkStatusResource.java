package org.bastion.fhir.rest;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.StreamingOutput;
import org.bastion.fhir.bulk.BulkExports;
import org.bastion.fhir.bulk.BulkJob;
import org.bastion.fhir.bulk.BulkJobView;
import org.bastion.fhir.bulk.ExportProgress;
import org.bastion.fhir.bulk.ExportRequest;
import org.bastion.fhir.bulk.ImportProgress;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bulk export's status URL and files (Bulk Data IG 2.0 §status, §file request): 202 with
 * X-Progress while it runs, then 200 with the manifest; DELETE cancels it and removes its files.
 * Each answers only the client that started the export.
 */
@Path(BulkStatusResource.PATH)
@RequiresBearerToken
public class BulkStatusResource {

    static final String PATH = "$bulk";
    static final String NDJSON = "application/fhir+ndjson";

    @EJB
    BulkExports exports;

    @Inject
    BastionSettings settings;

    @Context
    SecurityContext security;

    @Context
    HttpHeaders headers;

    @GET
    @Path("{job}")
    public Response status(@PathParam("job") String id) {
        BulkJob job = exports.status(ExportKickOffs.requester(security), id);
        boolean export = job.kind() == BulkJob.Kind.EXPORT;
        return switch (job.status()) {
            case ACCEPTED, RUNNING -> Response.accepted().header("X-Progress", BulkJobView.of(job).progress())
                    .header("Retry-After", "2").build();
            case FAILED -> OperationOutcomes.error(500, IssueType.EXCEPTION, "The " + (export ? "export" : "import") + " failed: "
                    + job.message(), headers).build();
            default -> Response.ok(export ? manifest(job, ExportRequest.parse(job.parameters()), ExportProgress.parse(job.progress()))
                            : importManifest(job, ImportProgress.parse(job.progress())), MediaType.APPLICATION_JSON)
                    .header("Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(job.expiresAt().atOffset(ZoneOffset.UTC))).build();
        };
    }

    @DELETE
    @Path("{job}")
    public Response cancel(@PathParam("job") String id) {
        exports.cancel(ExportKickOffs.requester(security), id);
        return Response.accepted().build();
    }

    @GET
    @Path("{job}/{file}")
    public Response file(@PathParam("job") String id, @PathParam("file") String name) {
        BulkExports.ExportFile file = exports.file(ExportKickOffs.requester(security), id, name);
        StreamingOutput body = output -> {
            try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
                WritableByteChannel target = Channels.newChannel(output);
                long sent = 0;
                while (sent < file.bytes()) {
                    long n = channel.transferTo(sent, file.bytes() - sent, target);
                    if (n <= 0) {
                        break;
                    }
                    sent += n;
                }
            }
        };
        return Response.ok(body, NDJSON).header(HttpHeaders.CONTENT_LENGTH, file.bytes()).build();
    }

    /** An import's manifest: what it wrote per type, and the error file (an OperationOutcome a failed line, with its line number). */
    private String importManifest(BulkJob job, ImportProgress progress) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("transactionTime", job.transactionTime().toString());
        manifest.put("request", job.requestUrl());
        manifest.put("requiresAccessToken", true);
        List<Object> output = new ArrayList<>();
        progress.imported().forEach((type, count) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", type);
            item.put("count", count);
            output.add(item);
        });
        manifest.put("output", output);
        List<Object> error = new ArrayList<>();
        if (progress.errors() != null) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", "OperationOutcome");
            item.put("url", settings.fhirBase() + "/" + PATH + "/" + job.id() + "/" + ImportProgress.ERRORS);
            item.put("count", progress.errors().lines());
            error.add(item);
        }
        manifest.put("error", error);
        return JSONObjectUtils.toJSONString(manifest);
    }

    /** The completion manifest: transactionTime, request, requiresAccessToken, output (with counts), deleted (with _since) and error. */
    private String manifest(BulkJob job, ExportRequest request, ExportProgress progress) {
        String base = settings.fhirBase() + "/" + PATH + "/" + job.id() + "/";
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("transactionTime", job.transactionTime().toString());
        manifest.put("request", job.requestUrl());
        manifest.put("requiresAccessToken", true);
        List<Object> output = new ArrayList<>();
        List<Object> deleted = new ArrayList<>();
        List<Object> error = new ArrayList<>();
        progress.files().forEach((name, file) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("type", file.type());
            item.put("url", base + name);
            item.put("count", file.lines());
            (file.kind().equals(ExportProgress.OUTPUT) ? output : file.kind().equals(ExportProgress.DELETED) ? deleted : error).add(item);
        });
        manifest.put("output", output);
        if (request.since() != null) {
            manifest.put("deleted", deleted);
        }
        manifest.put("error", error);
        return JSONObjectUtils.toJSONString(manifest);
    }
}
