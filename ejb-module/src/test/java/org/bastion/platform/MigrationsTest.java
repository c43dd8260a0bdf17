package org.bastion.platform;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new database where the batch runtime made its tables first still gets every migration; a
 * schema holding anything else is not taken for empty.
 */
class MigrationsTest {

    private static JdbcDataSource database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }

    private static void execute(JdbcDataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void theBatchRuntimesTablesAloneCountAsAnEmptySchema() throws SQLException {
        JdbcDataSource dataSource = database();
        assertFalse(Migrations.onlyBatchRuntimeTables(dataSource), "an empty schema needs no baseline");
        execute(dataSource, "create table JOB_INSTANCE (JOBINSTANCEID bigint primary key)");
        execute(dataSource, "create table JOB_EXECUTION (JOBEXECUTIONID bigint primary key)");
        assertTrue(Migrations.onlyBatchRuntimeTables(dataSource));
        assertTrue(Migrations.migrate(dataSource).migrationsExecuted >= 17, "every migration applied after the baseline at 0");
        assertFalse(Migrations.onlyBatchRuntimeTables(dataSource));
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             var rows = statement.executeQuery("select count(*) from bulk_job")) {
            rows.next();
            assertEquals(0, rows.getInt(1));
        }
    }

    @Test
    void aSchemaWithOtherTablesIsNotBaselined() throws SQLException {
        JdbcDataSource dataSource = database();
        execute(dataSource, "create table JOB_INSTANCE (JOBINSTANCEID bigint primary key)");
        execute(dataSource, "create table somebody_elses (id int)");
        assertFalse(Migrations.onlyBatchRuntimeTables(dataSource));
    }
}
