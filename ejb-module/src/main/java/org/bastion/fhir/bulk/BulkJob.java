package org.bastion.fhir.bulk;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A bulk data job as the database holds it: what was asked (parameters), for which client and
 * scopes, how far it got (progress) and which node runs it. The batch runtime runs the steps;
 * this row decides — a job resumes from its progress here, on whichever node takes it.
 */
@Entity
@Table(name = "bulk_job")
public class BulkJob {

    public enum Kind {
        EXPORT("bastion-bulk-export"), IMPORT("bastion-bulk-import");

        /** The batch job (META-INF/batch-jobs) that runs this kind. */
        public final String batchJob;

        Kind(String batchJob) {
            this.batchJob = batchJob;
        }

        /** Starts a batch execution for a job of this kind; the execution takes the job row before it does anything. */
        public long start(String jobId) {
            java.util.Properties parameters = new java.util.Properties();
            parameters.setProperty("job", jobId);
            return jakarta.batch.runtime.BatchRuntime.getJobOperator().start(batchJob, parameters);
        }
    }

    public enum Status {
        /** Accepted, not yet taken by a node. */
        ACCEPTED,
        RUNNING,
        COMPLETED,
        FAILED,
        /** DELETE on the status URL: the job stops, its files are removed. */
        CANCELLED;

        public boolean finished() {
            return this == COMPLETED || this == FAILED || this == CANCELLED;
        }
    }

    private static final int MAX_MESSAGE = 4000;

    @Id
    private String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Status status;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(nullable = false)
    private String scopes;

    @Column(name = "request_url", nullable = false)
    private String requestUrl;

    @Column(nullable = false)
    private String parameters;

    @Column(name = "transaction_time", nullable = false)
    private Instant transactionTime;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    private String node;

    private Instant heartbeat;

    @Column(name = "execution_id")
    private Long executionId;

    @Column(nullable = false)
    private String progress;

    @Column(nullable = false)
    private long processed;

    private String message;

    protected BulkJob() {
    }

    public BulkJob(String id, Kind kind, String clientId, String scopes, String requestUrl, String parameters, Instant transactionTime,
                   String progress) {
        this.id = id;
        this.kind = kind;
        this.status = Status.ACCEPTED;
        this.clientId = clientId;
        this.scopes = scopes;
        this.requestUrl = requestUrl;
        this.parameters = parameters;
        this.transactionTime = transactionTime;
        this.createdAt = transactionTime;
        this.progress = progress;
    }

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public Status status() {
        return status;
    }

    public String clientId() {
        return clientId;
    }

    /** The scopes the job was granted, space-delimited: the kick-off token's. */
    public String scopes() {
        return scopes;
    }

    public String requestUrl() {
        return requestUrl;
    }

    public String parameters() {
        return parameters;
    }

    public Instant transactionTime() {
        return transactionTime;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public String node() {
        return node;
    }

    public Instant heartbeat() {
        return heartbeat;
    }

    public Long executionId() {
        return executionId;
    }

    public String progress() {
        return progress;
    }

    public long processed() {
        return processed;
    }

    public String message() {
        return message;
    }

    /** A node takes the job (first start, or taking over): it runs as that batch execution from now on. */
    void take(String node, Instant now, long executionId) {
        this.status = Status.RUNNING;
        this.node = node;
        this.heartbeat = now;
        this.executionId = executionId;
    }

    void beat(Instant now) {
        this.heartbeat = now;
    }

    void advance(String progress, long processed, Instant now) {
        this.progress = progress;
        this.processed = processed;
        this.heartbeat = now;
    }

    void cancel(Instant now, Instant expiresAt) {
        finish(Status.CANCELLED, "cancelled by its client (DELETE on the status URL)", now, expiresAt);
    }

    void finish(Status status, String message, Instant now, Instant expiresAt) {
        this.status = status;
        this.message = message == null || message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
        this.finishedAt = now;
        this.expiresAt = expiresAt;
    }
}
