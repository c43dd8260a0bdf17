package org.bastion.platform;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The schema migrations: the portable ones (db/migration), then those of the database product
 * (db/postgresql: indexes only PostgreSQL has, such as varchar_pattern_ops for prefix searches
 * under any collation).
 */
public final class Migrations {

    private Migrations() {
    }

    /** The tables JBeret, WildFly's batch runtime, makes for its job repository on the same datasource (bastion.cli). */
    static final Set<String> BATCH_RUNTIME_TABLES = Set.of("job_instance", "job_execution", "step_execution", "partition_execution");

    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/" + product(dataSource))
                // a new database may hold the batch runtime's tables already (it makes them when the server starts,
                // before Bastion deploys): that schema counts as empty, every migration is applied to it
                .baselineOnMigrate(onlyBatchRuntimeTables(dataSource))
                .baselineVersion("0")
                .load()
                .migrate();
    }

    /** Whether the schema has tables, all of them the batch runtime's, and so no Bastion schema yet. */
    static boolean onlyBatchRuntimeTables(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            Set<String> tables = new HashSet<>();
            try (ResultSet rows = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%", new String[]{"TABLE"})) {
                while (rows.next()) {
                    tables.add(rows.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                }
            }
            return !tables.isEmpty() && BATCH_RUNTIME_TABLES.containsAll(tables);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to migrate its schema", e);
        }
    }

    private static String product(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to migrate its schema", e);
        }
    }
}
