package org.bastion.audit.application;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import org.bastion.audit.domain.AuditRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where requests hand their audit records: a bounded queue written to the database in batches
 * every 200 ms (one transaction a batch, so auditing costs a read little). When a batch cannot
 * be written, or the queue is full, the trail reports itself unavailable and the APIs refuse
 * new requests (503) until it is written again: nothing is served that the trail cannot record.
 * Records still queued when the server stops are written on the way down; a crash loses at
 * most the last 200 ms of them.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    static final int CAPACITY = 50_000;
    static final int BATCH = 2_000;
    static final long INTERVAL_MS = 200;

    @EJB
    AuditLog log;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private final BlockingQueue<AuditRecord> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final List<AuditRecord> unwritten = new ArrayList<>();
    private volatile String failure;
    private ScheduledFuture<?> writer;

    @PostConstruct
    void start() {
        writer = scheduler.scheduleWithFixedDelay(this::writeQuietly, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        writer.cancel(false);
        writeQuietly();
    }

    /** Queues a record; a full queue makes the trail unavailable (the record is kept, the next requests are refused). */
    public void add(AuditRecord record) {
        if (!queue.offer(record)) {
            synchronized (unwritten) {
                unwritten.add(record);
            }
            failure = "the audit queue is full (" + CAPACITY + " records wait to be written)";
            LOG.severe("Audit trail unavailable: " + failure);
        }
    }

    /** Why the trail cannot take records now, if it cannot. */
    public Optional<String> unavailable() {
        return Optional.ofNullable(failure);
    }

    /** Writes everything queued so far (also called before the trail is read, so a reader sees its own requests). */
    public void write() {
        synchronized (unwritten) {
            while (true) {
                if (unwritten.size() < BATCH) {
                    queue.drainTo(unwritten, BATCH - unwritten.size());
                }
                if (unwritten.isEmpty()) {
                    break;
                }
                log.recordAll(unwritten);
                unwritten.clear();
            }
            if (failure != null) {
                LOG.info("Audit trail available again");
            }
            failure = null;
        }
    }

    void writeQuietly() {
        try {
            write();
        } catch (RuntimeException e) {
            failure = "the audit records cannot be written to the database (" + e.getMessage() + ")";
            LOG.log(Level.SEVERE, "Audit trail unavailable; requests are refused until it can be written", e);
        }
    }
}
