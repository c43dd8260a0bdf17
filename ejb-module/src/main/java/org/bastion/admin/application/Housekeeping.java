package org.bastion.admin.application;

import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.bastion.admin.domain.HousekeepingRun;
import org.bastion.admin.domain.HousekeepingRun.Outcome;
import org.bastion.identity.application.SignInThrottle;
import org.bastion.platform.EmbeddedStore;
import org.bastion.platform.StoreCompaction;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Deletes what has expired (see {@link Sweep}): every 5 minutes on every node, and when an admin
 * asks. A run goes ahead only on the node that takes the lease ({@link HousekeepingLease}), so
 * however many nodes there are, one runs at a time. Each batch is a transaction of its own and the
 * lease is renewed after each; a run stops after {@link #MAX_RUN} and leaves the rest to the next.
 * Each run is recorded with the rows it deleted per table.
 */
@Singleton
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    /** Far longer than a batch takes: a node that dies mid-run holds up the others this long at most. */
    static final Duration LEASE = Duration.ofMinutes(5);
    /** Short enough for an admin's request to wait for; a backlog is worked off over several runs. */
    static final Duration MAX_RUN = Duration.ofMinutes(1);
    public static final String SCHEDULE = "every 5 minutes";
    static final String SIGN_IN_THROTTLE = "sign_in_throttle";
    /** The tables a run trims, in the order it trims them. */
    public static final List<String> SWEPT = Stream.concat(Arrays.stream(Sweep.values()).map(Sweep::table), Stream.of(SIGN_IN_THROTTLE))
            .distinct().toList();
    /** Counted besides, as they grow with use: audit records and FHIR resources are kept. */
    public static final List<String> COUNTED = Stream.concat(SWEPT.stream(), Stream.of("audit_event", "fhir_resource")).toList();

    @EJB
    HousekeepingLease lease;

    @EJB
    Sweeper sweeper;

    @EJB
    HousekeepingRuns runs;

    @EJB
    SignInThrottle throttle;

    @EJB
    StoreCompaction compaction;

    @Resource
    TimerService timers;

    private final Clock clock = Clock.systemUTC();
    private final String node = org.bastion.platform.NodeName.get();

    /** Table sizes, the last run (on any node), this node's next scheduled run, the run holding the lease now, and the H2 file's figures. */
    public record Report(Map<String, Long> sizes, Optional<HousekeepingRun> lastRun, Optional<Instant> nextRun,
                         Optional<HousekeepingLease.Holder> running, Optional<EmbeddedStore.Usage> embeddedStore) {
    }

    /** Not persistent: each node has its own timer, made again at every start, and the lease picks one. */
    @Schedule(minute = "*/5", hour = "*", persistent = false, info = "housekeeping")
    void scheduled() {
        try {
            HousekeepingRun run = run(HousekeepingRun.SCHEDULE);
            LOG.fine(() -> "Housekeeping deleted " + run.deletedTotal() + " row(s): " + run.outcome());
        } catch (HousekeepingBusyException e) {
            LOG.fine(e::getMessage);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Housekeeping could not run; the next scheduled run tries again", e);
        }
    }

    /** A run now, on this node, for an admin (their user id): the run, or HousekeepingBusyException naming the run under way. */
    public HousekeepingRun runNow(String admin) {
        return run(admin);
    }

    public Report report() {
        Instant now = clock.instant();
        Optional<Instant> next = timers.getTimers().stream().map(Timer::getNextTimeout).map(Date::toInstant).min(Instant::compareTo);
        return new Report(sweeper.sizes(COUNTED), runs.last(), next, lease.current(now), compaction.usage());
    }

    private HousekeepingRun run(String startedBy) {
        String id = UUID.randomUUID().toString();
        String holder = HousekeepingLease.Holder.name(node, id);
        Instant started = clock.instant();
        if (!lease.take(holder, started, LEASE)) {
            throw new HousekeepingBusyException(lease.current(started));
        }
        try {
            Map<String, Long> deleted = new LinkedHashMap<>();
            SWEPT.forEach(table -> deleted.put(table, 0L));
            Outcome outcome;
            String detail = null;
            try {
                outcome = sweep(holder, started.plus(MAX_RUN), deleted);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Housekeeping run " + id + " failed", e);
                outcome = Outcome.FAILED;
                detail = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            HousekeepingRun run = new HousekeepingRun(id, node, startedBy, started, clock.instant(), outcome, detail, deleted);
            runs.record(run);
            return run;
        } finally {
            release(holder);
        }
    }

    /** Every sweep, batch by batch, until nothing is left, the time is up or the lease is lost. */
    private Outcome sweep(String holder, Instant deadline, Map<String, Long> deleted) {
        for (Sweep sweep : Sweep.values()) {
            int batch;
            do {
                batch = sweeper.sweep(sweep, clock.instant());
                deleted.merge(sweep.table(), (long) batch, Long::sum);
                Instant now = clock.instant();
                // renewed after every batch: a lease that expired meanwhile may have gone to another node
                if (!lease.take(holder, now, LEASE) || batch == Sweep.BATCH && now.isAfter(deadline)) {
                    return Outcome.PARTIAL;
                }
            } while (batch == Sweep.BATCH);
        }
        deleted.put(SIGN_IN_THROTTLE, (long) throttle.forgetOld(clock.instant()));
        return Outcome.COMPLETED;
    }

    private void release(String holder) {
        try {
            lease.release(holder, clock.instant());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Housekeeping lease not released; it expires within " + LEASE, e);
        }
    }
}
