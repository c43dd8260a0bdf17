package org.bastion.fhir.bulk;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.platform.NodeName;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a chunk of an import's lines in one transaction with the job's new position; when one of
 * them fails, each line on its own: a bad line becomes an OperationOutcome in the error file
 * (naming its input and line number), forced to disk before the position moves past it.
 */
@Named("bulkImportWriter")
@Dependent
public class ImportWriter extends AbstractItemWriter {

    @Inject
    @BatchProperty(name = "job")
    String jobId;

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @EJB
    BulkJobs jobs;

    @EJB
    ImportWrites writes;

    @Inject
    BulkFiles files;

    private ImportProgress progress;
    private FileChannel errors;

    @Override
    public void open(Serializable checkpoint) {
        if (!BulkStepListener.holds(stepContext)) {
            return;
        }
        BulkJob job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("Bulk job " + jobId + " is gone"));
        progress = ImportProgress.parse(job.progress());
        files.restore(jobId, progress.errors() == null ? Map.of() : Map.of(ImportProgress.ERRORS, progress.errors()));
    }

    @Override
    public void writeItems(List<Object> items) {
        if (!BulkStepListener.holds(stepContext) || items.isEmpty()) {
            return;
        }
        List<ImportWrites.Line> lines = new ArrayList<>();
        items.forEach(item -> lines.add((ImportWrites.Line) item));
        String node = NodeName.get();
        long execution = jobContext.getExecutionId();
        try {
            try {
                progress = writes.write(jobId, node, execution, lines, progress);
                return;
            } catch (ImportWrites.NotOurs | ImportWrites.Stopped e) {
                throw e;
            } catch (RuntimeException e) {
                // one line at least failed: each on its own, so the good ones are written and the bad ones reported
            }
            for (ImportWrites.Line line : lines) {
                try {
                    progress = writes.write(jobId, node, execution, List.of(line), progress);
                } catch (ImportWrites.NotOurs | ImportWrites.Stopped e) {
                    throw e;
                } catch (RuntimeException e) {
                    ImportProgress next = progress.after(line.input(), line.endOffset(), line.line(), Map.of()).withErrors(error(line, e));
                    writes.skip(jobId, node, execution, next);
                    progress = next;
                }
            }
        } catch (ImportWrites.NotOurs e) {
            // cancelled, or taken over by an execution elsewhere: this one ends, having written nothing more
            BulkStepListener.release(stepContext);
        }
    }

    /** Appends the line's OperationOutcome to the error file and forces it: the error file's state with it. */
    private ExportProgress.FileState error(ImportWrites.Line line, RuntimeException failure) {
        Throwable cause = failure;
        while (!(cause instanceof FhirException) && !(cause instanceof BaseServerResponseException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        IssueType type = cause instanceof FhirException f ? f.issueType() : IssueType.PROCESSING;
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type)
                .setDiagnostics("Line " + line.line() + " of input " + (line.input() + 1) + " (" + line.source() + "): " + cause.getMessage())
                .addExpression("line " + line.line());
        byte[] bytes = (Fhir.json(outcome) + "\n").getBytes(StandardCharsets.UTF_8);
        ExportProgress.FileState before = progress.errors();
        try {
            if (errors == null) {
                errors = files.append(jobId, ImportProgress.ERRORS);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                errors.write(buffer);
            }
            errors.force(false);
            if (before == null) {
                files.syncFolder(jobId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Bulk job " + jobId + ": writing its error file failed", e);
        }
        return new ExportProgress.FileState(ExportProgress.ERROR, "OperationOutcome", (before == null ? 0 : before.lines()) + 1,
                (before == null ? 0 : before.bytes()) + bytes.length);
    }

    @Override
    public void close() {
        if (errors != null) {
            try {
                errors.close();
            } catch (IOException ignored) {
                // forced already
            }
            errors = null;
        }
    }
}
