package org.bastion.platform;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded H2 file compact ({@link EmbeddedStore}): every 10 seconds at most 2 seconds
 * of rewriting, so the file stays within about twice the live data under a steady write load,
 * and nothing is done on PostgreSQL (its vacuum does this). Every node runs its own; H2 has one.
 */
@Singleton
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StoreCompaction {

    private static final Logger LOG = Logger.getLogger(StoreCompaction.class.getName());
    static final Duration BUDGET = Duration.ofSeconds(2);

    private final AtomicBoolean running = new AtomicBoolean();
    /** Set once a connection showed the database is not H2: the timer then costs nothing. */
    private volatile boolean notEmbedded;

    @Schedule(second = "*/10", minute = "*", hour = "*", persistent = false, info = "H2 compaction")
    void scheduled() {
        if (notEmbedded || !running.compareAndSet(false, true)) {
            return;
        }
        try (Connection connection = BastionDataSource.lookup().getConnection()) {
            if (!EmbeddedStore.isEmbedded(connection)) {
                notEmbedded = true;
                return;
            }
            int steps = EmbeddedStore.compact(connection, BUDGET);
            if (steps > 0) {
                LOG.fine(() -> "H2 compaction: " + steps + " step(s), now " + usage(connection));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "H2 compaction did not run; it is tried again in 10 seconds", e);
        } finally {
            running.set(false);
        }
    }

    /** The embedded database's file figures, for the housekeeping report; empty on PostgreSQL. */
    public Optional<EmbeddedStore.Usage> usage() {
        try (Connection connection = BastionDataSource.lookup().getConnection()) {
            return EmbeddedStore.usage(connection);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "H2 file figures unavailable", e);
            return Optional.empty();
        }
    }

    private static String usage(Connection connection) {
        try {
            return EmbeddedStore.usage(connection).map(Object::toString).orElse("?");
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
