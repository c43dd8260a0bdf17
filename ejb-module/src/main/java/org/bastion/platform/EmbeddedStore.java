package org.bastion.platform;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The H2 file of the embedded default, kept compact while the server runs.
 * <p>
 * H2 writes each commit as a new chunk at the end of its file and leaves the pages it replaced
 * where they were. Its own background thread rewrites the live pages of mostly-dead chunks so that
 * their space is reused, but it runs only with a write delay, and Bastion's H2 has none
 * ({@code WRITE_DELAY=0}: a commit is in the file before it is acknowledged). Without it the file
 * only grows: 10.9 GB, 12 % of it live, after the benchmark's 160 000 resources. {@link #compact}
 * does what that thread would do, in steps: H2's store (reached through its JDBC connection, as H2
 * offers no SQL for it) rewrites a few megabytes of sparse chunks at a time, under its own lock,
 * beside the server's writes; the chunks left dead are reused by later commits.
 */
public final class EmbeddedStore {

    /** Compaction stops once this share of the chunks' space is live (H2's own background thread aims at 90 % of its fill rate). */
    static final int TARGET_CHUNKS_FILL_RATE = 60;
    /** Bytes of live pages rewritten per step: a step holds H2's store lock for tens of milliseconds at most. */
    static final int STEP_BYTES = 4 << 20;

    /** The file's size and the share of its chunks' space that is live, as H2 reports them. */
    public record Usage(long fileBytes, int chunksFillRate, int fillRate) {
    }

    private EmbeddedStore() {
    }

    /** Whether the connection is to an H2 database (the embedded default), whose file is Bastion's to keep. */
    public static boolean isEmbedded(Connection connection) throws SQLException {
        return "H2".equals(connection.getMetaData().getDatabaseProductName());
    }

    /** H2's figures for its file; empty for another database. */
    public static Optional<Usage> usage(Connection connection) throws SQLException {
        if (!isEmbedded(connection)) {
            return Optional.empty();
        }
        Map<String, String> info = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select setting_name, setting_value from information_schema.settings"
                     + " where setting_name in ('info.FILE_SIZE', 'info.CHUNKS_FILL_RATE', 'info.FILL_RATE')")) {
            while (rows.next()) {
                info.put(rows.getString(1), rows.getString(2));
            }
        }
        if (info.size() < 3) {
            return Optional.empty();
        }
        return Optional.of(new Usage(Long.parseLong(info.get("info.FILE_SIZE")), Integer.parseInt(info.get("info.CHUNKS_FILL_RATE")),
                Integer.parseInt(info.get("info.FILL_RATE"))));
    }

    /**
     * Rewrites sparse chunks step by step until {@link #TARGET_CHUNKS_FILL_RATE} of their space is
     * live, H2 finds nothing more to rewrite, or the time is up: the steps taken (0 for another
     * database or an H2 without a file store).
     */
    public static int compact(Connection connection, Duration budget) throws SQLException {
        if (!isEmbedded(connection)) {
            return 0;
        }
        Object store = mvStore(connection);
        long deadline = System.nanoTime() + budget.toNanos();
        int steps = 0;
        while (System.nanoTime() < deadline) {
            Optional<Usage> usage = usage(connection);
            if (usage.isEmpty() || usage.get().chunksFillRate() >= TARGET_CHUNKS_FILL_RATE) {
                break;
            }
            if (!(Boolean) invoke(store, "compact", TARGET_CHUNKS_FILL_RATE, STEP_BYTES)) {
                break;
            }
            // the rewritten pages are stored with the next commit; only then are their old chunks dead
            invoke(store, "commit");
            steps++;
        }
        return steps;
    }

    /** H2's MVStore behind a (pooled, wrapped) JDBC connection: JdbcConnection → SessionLocal → Database → Store → MVStore. */
    private static Object mvStore(Connection connection) throws SQLException {
        Object h2 = connection;
        // the pool's wrapper: WildFly's (IronJacamar) names its connection getUnderlyingConnection, Payara's getConnection
        for (int depth = 0; depth < 4 && !h2.getClass().getName().startsWith("org.h2."); depth++) {
            Object inner = null;
            for (String name : List.of("getUnderlyingConnection", "getConnection")) {
                if (method(h2, name, 0) != null) {
                    inner = invoke(h2, name);
                    break;
                }
            }
            if (inner == null || inner == h2) {
                break;
            }
            h2 = inner;
        }
        if (!h2.getClass().getName().startsWith("org.h2.")) {
            throw new SQLException("The H2 connection is behind a " + connection.getClass().getName() + ", which does not name it");
        }
        Object store = h2;
        for (String step : List.of("getSession", "getDatabase", "getStore", "getMvStore")) {
            store = invoke(store, step);
        }
        return store;
    }

    private static Method method(Object target, String name, int parameters) {
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == parameters) {
                return method;
            }
        }
        return null;
    }

    private static Object invoke(Object target, String name, Object... args) throws SQLException {
        Method method = method(target, name, args.length);
        if (method == null) {
            throw new SQLException(target.getClass().getName() + " has no " + name + " (an H2 version other than 2.x?)");
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new SQLException("H2 " + name + " failed: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new SQLException("H2 " + name + " is not accessible: " + e.getMessage(), e);
        }
    }
}
