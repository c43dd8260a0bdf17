package org.bastion.fhir.bulk;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bulk_job rows. Taking a job is one conditional update ("accepted, or running with a
 * heartbeat older than the lease"), so of several nodes exactly one gets it; a chunk then holds
 * the row's lock while it checks that the job is still its own and moves the progress on.
 */
@Stateless
public class BulkJobs {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void create(BulkJob job) {
        em.persist(job);
    }

    public Optional<BulkJob> find(String id) {
        return Optional.ofNullable(em.find(BulkJob.class, id));
    }

    /** The uploads that imports not yet finished will read (their ids): kept past their expiry until then. */
    public java.util.Set<String> uploadsInUse() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        em.createQuery("select j from BulkJob j where j.kind = :kind and (j.status = :accepted or j.status = :running)", BulkJob.class)
                .setParameter("kind", BulkJob.Kind.IMPORT).setParameter("accepted", BulkJob.Status.ACCEPTED)
                .setParameter("running", BulkJob.Status.RUNNING).getResultList()
                .forEach(job -> ImportRequest.parse(job.parameters()).inputs().stream().map(ImportRequest.Input::location)
                        .filter(location -> location.startsWith("upload:")).forEach(location -> ids.add(location.substring("upload:".length()))));
        return ids;
    }

    /** The latest jobs of a kind, of every client, newest first (the console's lists). */
    public List<BulkJob> recent(BulkJob.Kind kind, int max) {
        return em.createQuery("select j from BulkJob j where j.kind = :kind order by j.createdAt desc", BulkJob.class)
                .setParameter("kind", kind).setMaxResults(max).getResultList();
    }

    /**
     * A node takes the job for a batch execution: when it is accepted and not yet taken, or running
     * with no sign of life since staleBefore (its node died or stopped). Committed at once.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean take(String id, String node, long execution, Instant now, Instant staleBefore) {
        return em.createNativeQuery("update bulk_job set status = 'RUNNING', node = ?, heartbeat = ?, execution_id = ? where id = ?"
                        + " and (status = 'ACCEPTED' or (status = 'RUNNING' and (heartbeat is null or heartbeat < ?)))")
                .setParameter(1, node).setParameter(2, Timestamp.from(now)).setParameter(3, execution).setParameter(4, id)
                .setParameter(5, Timestamp.from(staleBefore))
                .executeUpdate() == 1;
    }

    /**
     * The job, locked until the caller's transaction ends and read again under the lock (the caller
     * may have read it earlier), when it is running as that execution on that node; empty when it
     * was cancelled, finished, or taken over by another execution.
     */
    public Optional<BulkJob> lockIfRunning(String id, String node, long execution) {
        BulkJob job = em.find(BulkJob.class, id);
        if (job != null) {
            em.refresh(job, LockModeType.PESSIMISTIC_WRITE);
        }
        return Optional.ofNullable(job).filter(j -> runsAs(j, node, execution));
    }

    /** The job, not locked, when it is running as that execution on that node (a check that may be outdated at once). */
    public Optional<BulkJob> findIfRunning(String id, String node, long execution) {
        return find(id).filter(j -> runsAs(j, node, execution));
    }

    private static boolean runsAs(BulkJob job, String node, long execution) {
        return job.status() == BulkJob.Status.RUNNING && node.equals(job.node()) && job.executionId() != null
                && job.executionId() == execution;
    }

    /** A sign of life from the execution running the job (a reader between pages): false when the job is no longer its own. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean beat(String id, String node, long execution, Instant now) {
        return em.createNativeQuery("update bulk_job set heartbeat = ? where id = ? and status = 'RUNNING' and node = ? and execution_id = ?")
                .setParameter(1, Timestamp.from(now)).setParameter(2, id).setParameter(3, node).setParameter(4, execution)
                .executeUpdate() == 1;
    }

    /** Moves a locked job's progress on (and its heartbeat), in the caller's transaction. */
    public void advance(BulkJob locked, String progress, long processed, Instant now) {
        locked.advance(progress, processed, now);
    }

    /** Cancels a job, running or finished: false when it was cancelled already or is gone. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean cancel(String id, Instant now, Instant expiresAt) {
        BulkJob job = em.find(BulkJob.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (job == null || job.status() == BulkJob.Status.CANCELLED) {
            return false;
        }
        job.cancel(now, expiresAt);
        return true;
    }

    /** Ends a job as this execution's last act, when it is still this execution's (not cancelled or taken over meanwhile). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean lockedFinish(String id, String node, long execution, BulkJob.Status status, String message, Instant now, Instant expiresAt) {
        Optional<BulkJob> job = lockIfRunning(id, node, execution);
        job.ifPresent(j -> j.finish(status, message, now, expiresAt));
        return job.isPresent();
    }

    /**
     * Queues a job without a sign of life since staleBefore for a new execution: accepted again,
     * with a fresh heartbeat so that no other node (and no later check) queues it once more while
     * the execution waits for a batch thread. An execution still running it somewhere finds it no
     * longer its own at its next chunk. False when another node queued it first.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean requeue(String id, Instant now, Instant staleBefore) {
        return em.createNativeQuery("update bulk_job set status = 'ACCEPTED', heartbeat = ?, node = null, execution_id = null where id = ?"
                        + " and status in ('ACCEPTED', 'RUNNING') and coalesce(heartbeat, created_at) < ?")
                .setParameter(1, Timestamp.from(now)).setParameter(2, id).setParameter(3, Timestamp.from(staleBefore))
                .executeUpdate() == 1;
    }

    /** Jobs to take over: accepted or running, with no sign of life (or, accepted, no start) since staleBefore. */
    public List<BulkJob> stale(Instant staleBefore) {
        return em.createQuery("select j from BulkJob j where (j.status = :running or j.status = :accepted)"
                        + " and coalesce(j.heartbeat, j.createdAt) < :before", BulkJob.class)
                .setParameter("running", BulkJob.Status.RUNNING).setParameter("accepted", BulkJob.Status.ACCEPTED)
                .setParameter("before", staleBefore).setMaxResults(100).getResultList();
    }

    /**
     * At a node's start, its running jobs have no execution any more: they become stale at once,
     * so they resume without waiting out the lease.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int orphan(String node) {
        return em.createNativeQuery("update bulk_job set heartbeat = ? where status = 'RUNNING' and node = ?")
                .setParameter(1, Timestamp.from(Instant.EPOCH)).setParameter(2, node).executeUpdate();
    }

    /** Finished jobs past their expiry. */
    public List<String> expired(Instant now) {
        return em.createQuery("select j.id from BulkJob j where j.expiresAt is not null and j.expiresAt < :now", String.class)
                .setParameter("now", now).setMaxResults(100).getResultList();
    }

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void delete(String id) {
        BulkJob job = em.find(BulkJob.class, id);
        if (job != null) {
            em.remove(job);
        }
    }
}
