package org.bastion.admin.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One housekeeping run: where and when it ran, who started it, how it ended and the rows it deleted per table. */
@Entity
@Table(name = "housekeeping_run")
public class HousekeepingRun {

    /** Who starts the runs that are not an admin's. */
    public static final String SCHEDULE = "schedule";

    private static final int MAX_DETAIL = 1024;

    public enum Outcome {
        /** Nothing expired was left. */
        COMPLETED,
        /** The run's time was up, or its lease lost, with expired rows left: the next run goes on. */
        PARTIAL,
        /** A batch failed (the detail says why); what earlier batches deleted stays deleted. */
        FAILED
    }

    @Id
    private String id;

    @Column(nullable = false)
    private String node;

    @Column(name = "started_by", nullable = false)
    private String startedBy;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at", nullable = false)
    private Instant finishedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Outcome outcome;

    private String detail;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "housekeeping_run_deleted", joinColumns = @JoinColumn(name = "run_id"))
    @MapKeyColumn(name = "table_name")
    @Column(name = "deleted", nullable = false)
    private Map<String, Long> deleted = new HashMap<>();

    protected HousekeepingRun() {
    }

    public HousekeepingRun(String id, String node, String startedBy, Instant startedAt, Instant finishedAt,
                           Outcome outcome, String detail, Map<String, Long> deleted) {
        this.id = id;
        this.node = node;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.outcome = outcome;
        this.detail = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        this.deleted = new HashMap<>(deleted);
    }

    public String id() {
        return id;
    }

    public String node() {
        return node;
    }

    /** {@link #SCHEDULE}, or the id of the admin who asked for the run. */
    public String startedBy() {
        return startedBy;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String detail() {
        return detail;
    }

    /** The rows deleted from a table (zero for a table the run did not reach). */
    public long deleted(String table) {
        return deleted.getOrDefault(table, 0L);
    }

    public long deletedTotal() {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }
}
