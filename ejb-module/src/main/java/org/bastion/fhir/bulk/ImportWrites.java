package org.bastion.fhir.bulk;

import jakarta.ejb.ApplicationException;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.bastion.fhir.application.BundleProcessor;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirBodies;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.application.TokenPolicies;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an import's lines with the job's own authority (its kick-off token's scopes as far as its
 * client still has them, through the repository's gate), and moves the job's position past them in
 * the same transaction: a line's resources and the record that it was done commit together.
 */
@Stateless
public class ImportWrites {

    @EJB
    FhirRepository repository;

    @EJB
    BundleProcessor bundles;

    @EJB
    BulkJobs jobs;

    @Inject
    RequestAccess access;

    @Inject
    TokenPolicies policies;

    @Inject
    org.bastion.platform.BastionSettings settings;

    @Inject
    BulkFiles files;

    /** The job is no longer this execution's (cancelled, or taken over): nothing of the call is written. */
    @ApplicationException(rollback = true)
    public static class NotOurs extends RuntimeException {
        public NotOurs() {
            super("The bulk job is no longer this execution's");
        }
    }

    /** The job's client may no longer import (disabled, removed): the job fails with this reason. */
    @ApplicationException(rollback = true)
    public static class Stopped extends RuntimeException {
        public Stopped(String reason) {
            super(reason);
        }
    }

    /** One line of an input: where it is, its text (null when it was too long to read), the input's type and URL. */
    public record Line(int input, long line, long endOffset, String text, String type, String source) {
    }

    /**
     * Writes the lines and moves the position past the last, all or nothing: the progress after them.
     * The job's row is locked only once the lines are written (a chunk may take minutes, and a cancel
     * waits for that lock): cancelled or taken over meanwhile, the whole chunk is rolled back.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    @ActivateRequestContext
    public ImportProgress write(String jobId, String node, long execution, List<Line> lines, ImportProgress progress) {
        BulkJob job = jobs.findIfRunning(jobId, node, execution).orElseThrow(NotOurs::new);
        authorize(job);
        ImportProgress next = progress;
        for (Line line : lines) {
            next = next.after(line.input(), line.endOffset(), line.line(), writeLine(line));
        }
        jobs.advance(jobs.lockIfRunning(jobId, node, execution).orElseThrow(NotOurs::new), next.json(), next.processed(), Instant.now());
        return next;
    }

    /**
     * Reports a line that failed: holding the job's lock (so that no other execution writes the file
     * meanwhile), appends its OperationOutcome to the error file, forces it, and moves the position
     * past the line. The progress after it.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public ImportProgress reject(String jobId, String node, long execution, Line line, FhirException failure, ImportProgress progress) {
        BulkJob job = jobs.lockIfRunning(jobId, node, execution).orElseThrow(NotOurs::new);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(failure.issueType())
                .setDiagnostics("Line " + line.line() + " of input " + (line.input() + 1) + " (" + line.source() + "): " + failure.getMessage())
                .addExpression("line " + line.line());
        byte[] bytes = (Fhir.json(outcome) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ExportProgress.FileState before = progress.errors();
        try (java.nio.channels.FileChannel channel = files.append(jobId, ImportProgress.ERRORS)) {
            BulkFiles.writeFully(channel, bytes);
            channel.force(false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Bulk job " + jobId + ": writing its error file failed", e);
        }
        if (before == null) {
            files.syncFolder(jobId);
        }
        ImportProgress next = progress.after(line.input(), line.endOffset(), line.line(), Map.of())
                .withErrors(new ExportProgress.FileState(ExportProgress.ERROR, "OperationOutcome", (before == null ? 0 : before.lines()) + 1,
                        (before == null ? 0 : before.bytes()) + bytes.length));
        jobs.advance(job, next.json(), next.processed(), Instant.now());
        return next;
    }

    /** One line: a resource kept under its id (update, or create with that id) or created, or a transaction/batch Bundle as a whole. */
    private Map<String, Long> writeLine(Line line) {
        if (line.text() == null) {
            throw new FhirException(413, IssueType.TOOCOSTLY, "the line is longer than a FHIR request may be (BASTION_FHIR_MAX_BODY_BYTES)");
        }
        // the same strict parser and limits (size, nesting, numbers, Bundle entries) as a request's body
        Resource resource = FhirBodies.read(new java.io.ByteArrayInputStream(line.text().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                settings.fhirLimits(), false, "line");
        if (!resource.fhirType().equals(line.type())) {
            throw new FhirException(400, IssueType.INVALID, "a " + resource.fhirType() + ", where the input's type is " + line.type());
        }
        Map<String, Long> written = new LinkedHashMap<>();
        if (resource instanceof Bundle bundle && (bundle.getType() == Bundle.BundleType.TRANSACTION || bundle.getType() == Bundle.BundleType.BATCH)) {
            // a batch is imported whole too: its entries commit with the line's position, or none of them does
            bundles.transaction(bundle, url -> {
                throw new FhirException(400, IssueType.NOTSUPPORTED, "an imported Bundle reads nothing (GET " + url + ")");
            });
            bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                    .forEach(entry -> written.merge(entry.getResource().fhirType(), 1L, Long::sum));
            return written;
        }
        String id = resource.getIdElement().getIdPart();
        if (id != null && !id.isBlank()) {
            repository.update(resource.fhirType(), id, resource, null);
        } else {
            repository.create(resource.fhirType(), resource, null);
        }
        written.put(resource.fhirType(), 1L);
        return written;
    }

    private void authorize(BulkJob job) {
        try {
            List<String> scopes = List.of(job.scopes().split(" "));
            access.set(job.clientId().startsWith(BulkImports.ADMIN) ? policies.adminPolicy(job.clientId().substring(BulkImports.ADMIN.length()), scopes)
                    : policies.clientPolicy(job.clientId(), scopes));
        } catch (InvalidTokenException e) {
            throw new Stopped("The import stopped: " + e.getMessage());
        }
    }
}
