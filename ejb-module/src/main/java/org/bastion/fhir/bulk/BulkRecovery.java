package org.bastion.fhir.bulk;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.NodeName;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps bulk jobs going and tidy, on every node: at start this node's running jobs lose their
 * executions (the process that ran them is gone), and every 10 seconds each job without a sign of
 * life for the lease gets a new execution here (the first node to queue it again runs it), finished
 * jobs past their expiry lose their files and row, and uploads older than the retention go.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BulkRecovery {

    private static final Logger LOG = Logger.getLogger(BulkRecovery.class.getName());

    @EJB
    BulkJobs jobs;

    @Inject
    BulkFiles files;

    @Inject
    BastionSettings settings;

    private final AtomicBoolean running = new AtomicBoolean();

    @PostConstruct
    void orphanOwnJobs() {
        try {
            int orphaned = jobs.orphan(NodeName.get());
            if (orphaned > 0) {
                LOG.info(() -> orphaned + " bulk job(s) of this node (" + NodeName.get() + ") were running when it stopped: they resume");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Bulk jobs of this node could not be marked for resuming; they resume once their lease ends", e);
        }
    }

    @Schedule(second = "*/10", minute = "*", hour = "*", persistent = false, info = "bulk jobs")
    void scheduled() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            Instant now = Instant.now();
            for (BulkJob job : jobs.stale(now.minus(settings.bulkLease()))) {
                String id = job.id();
                if (!jobs.requeue(id, now, now.minus(settings.bulkLease()))) {
                    continue;
                }
                long execution = job.kind().start(id);
                LOG.info(() -> "Bulk job " + id + ": resumed as execution " + execution + " on " + NodeName.get());
            }
            for (String id : jobs.expired(now)) {
                if (files.delete(id)) {
                    jobs.delete(id);
                }
            }
            files.expireUploads(now.minus(settings.bulkRetention()), jobs.uploadsInUse());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Bulk jobs were not checked; again in 10 seconds", e);
        } finally {
            running.set(false);
        }
    }
}
