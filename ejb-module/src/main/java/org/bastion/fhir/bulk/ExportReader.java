package org.bastion.fhir.bulk;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.platform.NodeName;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads an export's lines page by page, unit (resource type) after unit, from the position its job
 * row records: what the job's last chunk wrote, whichever execution wrote it.
 */
@Named("bulkExportReader")
@Dependent
public class ExportReader extends AbstractItemReader {

    /** Resources read at once; a chunk writes 500, so a page serves two. */
    static final int PAGE = 1000;

    @Inject
    @BatchProperty(name = "job")
    String jobId;

    @Inject
    StepContext stepContext;

    @Inject
    JobContext jobContext;

    @EJB
    BulkJobs jobs;

    @EJB
    ExportReads reads;

    private BulkJob job;
    private ExportRequest request;
    private int unit;
    private Long cursor;
    private final Deque<ExportReads.Line> buffer = new ArrayDeque<>();

    @Override
    public void open(Serializable checkpoint) {
        if (!BulkStepListener.holds(stepContext)) {
            return;
        }
        job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("Bulk job " + jobId + " is gone"));
        request = ExportRequest.parse(job.parameters());
        ExportProgress progress = ExportProgress.parse(job.progress());
        unit = progress.unit();
        cursor = progress.cursor();
    }

    @Override
    public Object readItem() {
        if (!BulkStepListener.holds(stepContext)) {
            return null;
        }
        int units = request.types().size() + (request.reportsDeleted() ? 1 : 0);
        while (buffer.isEmpty() && unit < units) {
            List<ExportReads.Line> page = reads.page(job, request, unit, cursor, PAGE);
            if (!jobs.beat(jobId, NodeName.get(), jobContext.getExecutionId(), Instant.now())) {
                // cancelled, or taken over by an execution elsewhere: this one ends
                BulkStepListener.release(stepContext);
                buffer.clear();
                return null;
            }
            if (page.isEmpty()) {
                unit++;
                cursor = null;
            } else {
                buffer.addAll(page);
                cursor = page.get(page.size() - 1).pk();
            }
        }
        return buffer.poll();
    }

    @Override
    public Serializable checkpointInfo() {
        // the position that counts is the job row's, written with each chunk (ExportWriter)
        return jobId;
    }
}
