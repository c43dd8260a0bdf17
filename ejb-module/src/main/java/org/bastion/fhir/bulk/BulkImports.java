package org.bastion.fhir.bulk;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.platform.BastionSettings;
import org.bastion.smart.application.TokenPolicies;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.SmartScope.Permission;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bulk import (after the Bulk Data import proposal's kick-off: Parameters with inputFormat and
 * inputs of a type and a URL). Bastion fetches nothing from other servers: an input names a file
 * the client uploaded ([base]/$import-upload) or, when an admin configured BASTION_IMPORT_DIR, a
 * file in that folder (file:PATH). Only a backend service with system/ write scopes imports, and
 * every line is written through the repository's gate with the scopes its client still has.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BulkImports {

    public static final String UPLOAD_PATH = "$import-upload";
    /** The owner of an admin's import (the console's): this prefix and the admin's user id, never a client's id (those are UUIDs or names without it). */
    public static final String ADMIN = "admin-user:";
    /** What an admin's import may do: create and update any type, as a backend service with these scopes would. */
    static final String ADMIN_SCOPES = "system/*.cu";
    private static final Pattern UPLOAD = Pattern.compile(".*/" + Pattern.quote(UPLOAD_PATH) + "/([0-9a-f\\-]{36})");
    private static final String NDJSON = "application/fhir+ndjson";

    /** One input as the kick-off's Parameters give it. */
    public record Input(String type, String url) {
    }

    @EJB
    BulkJobs jobs;

    @Inject
    TokenPolicies policies;

    @Inject
    BulkFiles files;

    @Inject
    BastionSettings settings;

    /** Stores an upload of the client, streamed to a file: its id, for [base]/$import-upload/ID. */
    public Upload upload(BulkExports.Requester requester, InputStream body) {
        writePolicy(requester);
        return store(requester.clientId(), body);
    }

    private Upload store(String owner, InputStream body) {
        String id = UUID.randomUUID().toString();
        Path path = uploads(owner).resolve(id + ".ndjson");
        try {
            Files.createDirectories(path.getParent());
            long bytes;
            try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW)) {
                bytes = body.transferTo(out);
            }
            if (bytes == 0) {
                Files.delete(path);
                throw new FhirException(400, IssueType.REQUIRED, "The upload is empty: send the NDJSON (or the JSON Bundle) as the request body");
            }
            return new Upload(id, bytes);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the upload failed already; a leftover goes with the uploads' expiry
            }
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause.getClass().getSimpleName().equals("RequestTooBigException") || String.valueOf(cause.getMessage()).contains("UT000020")) {
                    throw new FhirException(413, IssueType.TOOCOSTLY, "The upload is larger than this server takes in one request (the"
                            + " HTTP listener's max-post-size, 64 MB as shipped): split it, or have an admin place it in BASTION_IMPORT_DIR");
                }
            }
            throw new UncheckedIOException("The upload could not be stored", e);
        }
    }

    public record Upload(String id, long bytes) {
    }

    /** A client's uploads: a folder named by a hash of its id, so one client's kick-off never finds another's file. */
    public Path uploads(String clientId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
            return settings.bulkDirectory().resolve("uploads").resolve(HexFormat.of().formatHex(hash, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts an import: the job's id, for the status URL. */
    public String kickOff(BulkExports.Requester requester, String inputFormat, List<Input> inputs, String requestUrl) {
        AccessPolicy policy = writePolicy(requester);
        boolean ndjson;
        if (inputFormat == null || inputFormat.equals(NDJSON) || inputFormat.equals("application/ndjson") || inputFormat.equals("ndjson")) {
            ndjson = true;
        } else if (inputFormat.equals("application/fhir+json")) {
            ndjson = false;
        } else {
            throw new FhirException(400, IssueType.NOTSUPPORTED, "inputFormat '" + inputFormat + "' is not supported: application/fhir+ndjson"
                    + " (a resource a line) or application/fhir+json (one resource a file, such as a transaction Bundle)");
        }
        if (inputs.isEmpty()) {
            throw new FhirException(400, IssueType.REQUIRED, "An import needs at least one input parameter, with parts type and url");
        }
        List<ImportRequest.Input> resolved = new ArrayList<>();
        for (Input input : inputs) {
            if (input.type() == null || !Fhir.isResourceType(input.type()) || input.type().equals(FhirRepository.AUDIT_EVENT)) {
                throw new FhirException(400, IssueType.INVALID, "input type '" + input.type() + "' is not a resource type this server imports");
            }
            if (!input.type().equals("Bundle") && policy.restriction(Permission.CREATE, input.type()).denied()
                    && policy.restriction(Permission.UPDATE, input.type()).denied()) {
                throw new FhirException(403, IssueType.FORBIDDEN, policy.refusal(Permission.CREATE, input.type()));
            }
            resolved.add(new ImportRequest.Input(input.type(), input.url(), location(requester, input.url())));
        }
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        jobs.create(new BulkJob(id, BulkJob.Kind.IMPORT, requester.clientId(), String.join(" ", requester.scopes()), requestUrl,
                new ImportRequest(ndjson, resolved).json(), now, ImportProgress.START.json()));
        BulkJob.Kind.IMPORT.start(id);
        return id;
    }

    /**
     * An admin's import from the console: the body stored as an upload of the admin, then imported
     * with system/*.cu for as long as the admin stays an enabled admin. The job's id.
     */
    public String adminImport(String adminUserId, String type, boolean ndjson, InputStream body, String requestUrl) {
        if (type == null || !Fhir.isResourceType(type) || type.equals(FhirRepository.AUDIT_EVENT)) {
            throw new FhirException(400, IssueType.INVALID, "type '" + type + "' is not a resource type this server imports");
        }
        String owner = ADMIN + adminUserId;
        Upload upload = store(owner, body);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String url = settings.fhirBase() + "/" + UPLOAD_PATH + "/" + upload.id();
        jobs.create(new BulkJob(id, BulkJob.Kind.IMPORT, owner, ADMIN_SCOPES, requestUrl,
                new ImportRequest(ndjson, List.of(new ImportRequest.Input(type, url, "upload:" + upload.id()))).json(), now,
                ImportProgress.START.json()));
        BulkJob.Kind.IMPORT.start(id);
        return id;
    }

    /** The file an input's URL names: the client's upload, or a file in the import folder; never a path out of it. */
    private String location(BulkExports.Requester requester, String url) {
        if (url == null || url.isBlank()) {
            throw new FhirException(400, IssueType.REQUIRED, "An input needs a url: the Location of an upload ([base]/" + UPLOAD_PATH
                    + "/ID) or file:PATH in the server's import folder");
        }
        Matcher upload = UPLOAD.matcher(url);
        if (upload.matches() && url.startsWith(settings.fhirBase() + "/")) {
            if (!Files.isRegularFile(uploads(requester.clientId()).resolve(upload.group(1) + ".ndjson"))) {
                throw new FhirException(404, IssueType.NOTFOUND, "No upload " + upload.group(1) + " of client '" + requester.clientId()
                        + "': it expired, or another client made it");
            }
            return "upload:" + upload.group(1);
        }
        if (url.startsWith("file:")) {
            Path folder = settings.importDirectory().orElseThrow(() -> new FhirException(400, IssueType.NOTSUPPORTED, "Inputs from the"
                    + " server's disk (file:) are off: an admin sets BASTION_IMPORT_DIR to the folder they may come from; or upload the file"));
            String relative = url.substring("file:".length());
            try {
                Path root = folder.toRealPath();
                Path file = root.resolve(relative).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file) || !file.toRealPath().startsWith(root)) {
                    throw new FhirException(400, IssueType.INVALID, "file:" + relative + " is not a file in the server's import folder");
                }
                return "file:" + root.relativize(file.toRealPath());
            } catch (IOException | java.nio.file.InvalidPathException e) {
                throw new FhirException(400, IssueType.INVALID, "file:" + relative + " is not a file in the server's import folder");
            }
        }
        throw new FhirException(400, IssueType.NOTSUPPORTED, "Bastion does not fetch import files from other servers (" + url + "): upload"
                + " them to [base]/" + UPLOAD_PATH + ", or have an admin place them in the folder BASTION_IMPORT_DIR names");
    }

    /** The file of an input, for the job's reader. */
    public Path file(BulkJob job, ImportRequest.Input input) {
        if (input.location().startsWith("upload:")) {
            return uploads(job.clientId()).resolve(input.location().substring("upload:".length()) + ".ndjson");
        }
        Path folder = settings.importDirectory().orElseThrow(() -> new IllegalStateException("BASTION_IMPORT_DIR is no longer set"));
        try {
            Path root = folder.toRealPath();
            Path file = root.resolve(input.location().substring("file:".length())).toRealPath();
            if (!file.startsWith(root)) {
                throw new IllegalStateException(input.location() + " now leads out of BASTION_IMPORT_DIR (a link changed since the kick-off)");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(input.location() + " cannot be read from BASTION_IMPORT_DIR", e);
        }
    }

    private AccessPolicy writePolicy(BulkExports.Requester requester) {
        BulkExports.backendService(requester);
        AccessPolicy policy;
        try {
            policy = policies.clientPolicy(requester.clientId(), requester.scopes());
        } catch (InvalidTokenException e) {
            throw new FhirException(403, IssueType.FORBIDDEN, e.getMessage());
        }
        boolean writes = BulkExports.exportable(ExportRequest.Level.SYSTEM).stream()
                .anyMatch(type -> !policy.restriction(Permission.CREATE, type).denied() || !policy.restriction(Permission.UPDATE, type).denied());
        if (!writes) {
            throw new FhirException(403, IssueType.FORBIDDEN, "Bulk import needs system/ write scopes, such as system/*.cu or"
                    + " system/Patient.cu (v1: system/*.write), which an admin grants to a backend-service client; this token has "
                    + (requester.scopes().isEmpty() ? "no scopes" : String.join(" ", requester.scopes())));
        }
        return policy;
    }
}
