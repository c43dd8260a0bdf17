package org.bastion.platform;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The schema migrations: the portable ones (db/migration), then those of the database product
 * (db/postgresql: indexes only PostgreSQL has, such as varchar_pattern_ops for prefix searches
 * under any collation).
 */
public final class Migrations {

    private Migrations() {
    }

    public static MigrateResult migrate(DataSource dataSource) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/" + product(dataSource))
                .load()
                .migrate();
    }

    private static String product(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to migrate its schema", e);
        }
    }
}
