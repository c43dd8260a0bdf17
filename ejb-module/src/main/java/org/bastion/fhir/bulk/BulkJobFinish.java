package org.bastion.fhir.bulk;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.NodeName;

import java.time.Instant;
import java.util.logging.Logger;

/** The last step of a bulk job: completes it if this execution still holds it; a cancelled job's files go. */
@Named("bulkJobFinish")
@Dependent
public class BulkJobFinish extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(BulkJobFinish.class.getName());

    @Inject
    @BatchProperty(name = "job")
    String jobId;

    @Inject
    JobContext jobContext;

    @EJB
    BulkJobs jobs;

    @Inject
    BulkFiles files;

    @Inject
    BastionSettings settings;

    @Override
    public String process() {
        Instant now = Instant.now();
        if (jobs.lockedFinish(jobId, NodeName.get(), jobContext.getExecutionId(), BulkJob.Status.COMPLETED, null, now,
                now.plus(settings.bulkRetention()))) {
            LOG.info(() -> "Bulk job " + jobId + " completed");
        } else if (jobs.find(jobId).map(j -> j.status() == BulkJob.Status.CANCELLED).orElse(true)) {
            files.delete(jobId);
        }
        return BatchStatus.COMPLETED.name();
    }
}
