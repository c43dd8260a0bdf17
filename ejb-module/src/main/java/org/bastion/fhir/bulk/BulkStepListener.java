package org.bastion.fhir.bulk;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractStepListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.NodeName;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Before a bulk job's step: this execution takes the job row (BulkJobs#take), or the step does
 * nothing because another node runs it or it has ended. After it: a failure ends the job as
 * FAILED with the reason, if the job is still this execution's.
 */
@Named("bulkStepListener")
@Dependent
public class BulkStepListener extends AbstractStepListener {

    private static final Logger LOG = Logger.getLogger(BulkStepListener.class.getName());

    @Inject
    @BatchProperty(name = "job")
    String jobId;

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @EJB
    BulkJobs jobs;

    @Inject
    BastionSettings settings;

    /** Whether this step's execution holds its job (set before the step, read by its reader and writer). */
    static boolean holds(StepContext step) {
        return Boolean.TRUE.equals(step.getTransientUserData());
    }

    /** The reader or writer found the job no longer its own (cancelled, or taken over): the step ends. */
    static void release(StepContext step) {
        step.setTransientUserData(Boolean.FALSE);
    }

    @Override
    public void beforeStep() {
        Instant now = Instant.now();
        boolean taken = jobs.take(jobId, NodeName.get(), jobContext.getExecutionId(), now, now.minus(settings.bulkLease()));
        stepContext.setTransientUserData(taken);
        if (!taken) {
            LOG.info(() -> "Bulk job " + jobId + ": execution " + jobContext.getExecutionId() + " has nothing to do (ended, or running elsewhere)");
        }
    }

    @Override
    public void afterStep() {
        Exception failure = stepContext.getException();
        if (failure == null || !holds(stepContext)) {
            return;
        }
        LOG.log(Level.WARNING, "Bulk job " + jobId + " failed", failure);
        Instant now = Instant.now();
        if (jobs.lockedFinish(jobId, NodeName.get(), jobContext.getExecutionId(), BulkJob.Status.FAILED, reason(failure), now,
                now.plus(settings.bulkRetention()))) {
            LOG.info(() -> "Bulk job " + jobId + " ended as FAILED");
        }
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
