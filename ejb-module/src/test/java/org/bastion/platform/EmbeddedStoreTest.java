package org.bastion.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a real H2 file with Bastion's settings (WRITE_DELAY=0): the file grows without compaction and stays bounded with it. */
class EmbeddedStoreTest {

    private static final int ROWS = 1_000;
    private static final String BODY = "x".repeat(2_000);

    /** What a pooled connection looks like to the server's code: a wrapper that names the H2 connection (as WildFly's does). */
    public interface PooledConnection extends Connection {
        Connection getUnderlyingConnection();
    }

    @Test
    void churnWithoutCompactionLeavesMostOfTheFileDeadAndCompactionReclaimsIt(@TempDir Path dir) throws SQLException {
        try (Connection h2 = open(dir)) {
            churn(h2, 6);
            EmbeddedStore.Usage before = EmbeddedStore.usage(h2).orElseThrow();
            assertTrue(before.chunksFillRate() < EmbeddedStore.TARGET_CHUNKS_FILL_RATE, "the churn should leave sparse chunks: " + before);

            int steps = EmbeddedStore.compact(pooled(h2), Duration.ofSeconds(60));
            EmbeddedStore.Usage after = EmbeddedStore.usage(h2).orElseThrow();
            assertTrue(steps > 0, "no compaction step ran");
            assertTrue(after.chunksFillRate() >= EmbeddedStore.TARGET_CHUNKS_FILL_RATE, before + " -> " + after);
        }
    }

    @Test
    void compactedBetweenRoundsOfWritesTheFileStopsGrowing(@TempDir Path uncompacted, @TempDir Path compacted) throws SQLException {
        long grown;
        try (Connection h2 = open(uncompacted)) {
            for (int round = 0; round < 8; round++) {
                churn(h2, 1);
            }
            grown = EmbeddedStore.usage(h2).orElseThrow().fileBytes();
        }
        long kept;
        try (Connection h2 = open(compacted)) {
            for (int round = 0; round < 8; round++) {
                churn(h2, 1);
                EmbeddedStore.compact(h2, Duration.ofSeconds(10));
            }
            kept = EmbeddedStore.usage(h2).orElseThrow().fileBytes();
        }
        assertTrue(kept * 2 < grown, "compacted after each round " + kept + " bytes, never compacted " + grown + " bytes");
    }

    @Test
    void anotherDatabaseIsLeftAlone(@TempDir Path dir) throws SQLException {
        try (Connection h2 = open(dir)) {
            Connection other = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class}, (proxy, method, args) ->
                    method.getName().equals("getMetaData") ? Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[]{java.sql.DatabaseMetaData.class}, (p, m, a) -> m.getName().equals("getDatabaseProductName")
                                    ? "PostgreSQL" : m.invoke(h2.getMetaData(), a)) : method.invoke(h2, args));
            assertEquals(0, EmbeddedStore.compact(other, Duration.ofSeconds(1)));
            assertTrue(EmbeddedStore.usage(other).isEmpty());
        }
    }

    /** Bastion's URL, but with chunks rewritable at once: H2 leaves those younger than its retention time (45 s) alone. */
    private static Connection open(Path dir) throws SQLException {
        Connection h2 = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("bastion") + ";WRITE_DELAY=0;RETENTION_TIME=0", "sa", "sa");
        try (Statement statement = h2.createStatement()) {
            statement.execute("create table if not exists churn (id int primary key, body varchar(4000))");
            statement.execute("create table if not exists kept (id int auto_increment primary key, body varchar(4000))");
        }
        return h2;
    }

    /**
     * Each row of one table written (inserted or replaced) the given number of times, and as many
     * rows added to another that are kept, one commit each, as the server's requests do (tokens
     * and sessions replaced, resources and audit records added).
     */
    private static void churn(Connection h2, int times) throws SQLException {
        try (PreparedStatement merge = h2.prepareStatement("merge into churn key (id) values (?, ?)");
             PreparedStatement add = h2.prepareStatement("insert into kept (body) values (?)")) {
            for (int time = 0; time < times; time++) {
                for (int id = 0; id < ROWS; id++) {
                    merge.setInt(1, id);
                    merge.setString(2, time + BODY + id);
                    merge.executeUpdate();
                    add.setString(1, BODY.substring(id % 1000));
                    add.executeUpdate();
                }
            }
        }
    }

    private static Connection pooled(Connection h2) {
        return (Connection) Proxy.newProxyInstance(EmbeddedStoreTest.class.getClassLoader(), new Class<?>[]{PooledConnection.class},
                (proxy, method, args) -> method.getName().equals("getUnderlyingConnection") ? h2 : method.invoke(h2, args));
    }
}
