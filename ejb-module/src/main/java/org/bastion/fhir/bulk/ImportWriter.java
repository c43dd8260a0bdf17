package org.bastion.fhir.bulk;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.fhir.application.FhirException;
import org.bastion.platform.NodeName;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a chunk of an import's lines in one transaction with the job's new position; when one of
 * them is refused, each line on its own: a refused line becomes an OperationOutcome in the error
 * file (naming its input and line number), forced to disk before the position moves past it.
 * Anything else that goes wrong (the database, the disk) fails the job rather than losing a line.
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
            } catch (FhirException e) {
                // one line at least was refused: each on its own, so the good ones are written and the bad ones reported
            }
            for (ImportWrites.Line line : lines) {
                try {
                    progress = writes.write(jobId, node, execution, List.of(line), progress);
                } catch (FhirException e) {
                    // what a request with this resource would have been refused for: the line is reported, the import goes on
                    progress = writes.reject(jobId, node, execution, line, e, progress);
                }
            }
        } catch (ImportWrites.NotOurs e) {
            // cancelled, or taken over by an execution elsewhere: this one ends, having written nothing more
            BulkStepListener.release(stepContext);
        }
    }
}
