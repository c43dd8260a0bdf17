package org.bastion.platform;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.logging.Logger;

/**
 * Brings the schema to the version this release needs before anything touches it.
 * Bean-managed, so Flyway commits each migration itself rather than inside a JTA transaction.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    @PostConstruct
    void migrate() {
        MigrateResult result = Migrations.migrate(BastionDataSource.lookup());
        LOG.info(() -> "Database schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
    }
}
