package org.bastion.audit.application;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import org.bastion.audit.domain.AuditRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where requests hand their audit records, and wait until they are committed: a request is
 * answered only after its record is in the database, so an acknowledged request always has its
 * record, whatever happens to the server a moment later. One writer thread commits whatever has
 * gathered while the previous commit ran (group commit), so a busy server pays one transaction
 * for many records rather than one each.
 * <p>
 * Memory stays bounded: at most {@link #CAPACITY} records wait. When a batch cannot be written
 * (the database is down) the writer keeps that batch, tries it again every second, and the trail
 * reports itself unavailable, so the APIs refuse new requests (503) until it is written again.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    static final int CAPACITY = 10_000;
    static final int BATCH = 2_000;
    static final long RETRY_MS = 1_000;
    /** How long a request waits for its record before it is answered with the record still pending. */
    static final long WAIT_MS = 10_000;

    @EJB
    AuditLog log;

    @Resource
    ManagedThreadFactory threads;

    private record Pending(Object entity, CompletableFuture<Void> written) {
    }

    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final List<Pending> batch = new ArrayList<>();
    private volatile String failure;
    private volatile boolean running;
    private Thread writer;

    @PostConstruct
    void start() {
        running = true;
        writer = threads.newThread(this::writeUntilStopped);
        writer.setName("bastion-audit-writer");
        writer.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        writer.interrupt();
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeQuietly();
    }

    /**
     * Records an event and returns once it is committed. When it cannot be committed in time (the
     * database is down) the record stays queued for the writer, the trail turns unavailable, and
     * this says so in the log; the caller's response goes out, the next requests are refused.
     */
    public void record(AuditRecord record) {
        commit(record, "Audit record of " + record.method() + " " + record.path());
    }

    /**
     * Commits another record that must be durable before a response, the same way: the record
     * of an access token issued (what admins list) goes with the audit records of its moment.
     */
    public void commit(Object entity, String what) {
        CompletableFuture<Void> written = add(entity);
        try {
            written.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.SEVERE, what + " not yet written: " + failure);
        }
    }

    /** Queues a record; the future completes when it is committed. A full queue makes the trail unavailable and fails the record. */
    public CompletableFuture<Void> add(Object entity) {
        Pending pending = new Pending(entity, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            failure = "the audit queue is full (" + CAPACITY + " records wait to be written)";
            LOG.severe("Audit trail unavailable: " + failure);
            pending.written().completeExceptionally(new IllegalStateException(failure));
        }
        return pending.written();
    }

    /** How many records wait for the writer (a metric: a growing backlog is a slow or failing database). */
    public int backlog() {
        return queue.size();
    }

    /** Why the trail cannot take records now, if it cannot. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(failure);
    }

    /** Writes everything queued so far (also called before the trail is read, so a reader sees its own requests). */
    public void write() {
        synchronized (batch) {
            while (true) {
                if (batch.size() < BATCH) {
                    queue.drainTo(batch, BATCH - batch.size());
                }
                if (batch.isEmpty()) {
                    break;
                }
                log.recordAll(batch.stream().map(Pending::entity).toList());
                batch.forEach(p -> p.written().complete(null));
                batch.clear();
            }
            if (failure != null) {
                LOG.info("Audit trail available again");
            }
            failure = null;
        }
    }

    /** One write attempt; false when the database refused it (the batch is kept for the next attempt). */
    boolean writeQuietly() {
        try {
            write();
            return true;
        } catch (RuntimeException e) {
            failure = "the audit records cannot be written to the database (" + e.getMessage() + ")";
            LOG.log(Level.SEVERE, "Audit trail unavailable; requests are refused until it can be written", e);
            return false;
        }
    }

    private void writeUntilStopped() {
        while (running) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    synchronized (batch) {
                        batch.add(first);
                    }
                }
                if ((first != null || !batch.isEmpty()) && !writeQuietly()) {
                    Thread.sleep(RETRY_MS);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
        }
    }
}
