package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EAR on a managed WildFly configured by postgresql.cli, against a real PostgreSQL (port offset 300). */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class, ArquillianExtension.class})
class WildFlyPostgresIT extends PlatformContract implements BatchRuntimeContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8380";
    }

    @Override
    public String batchBaseUrl() {
        return baseUrl();
    }

    @Test
    void schemaKeyAndBootstrapAdminLiveInPostgresql() throws SQLException {
        try (Connection db = EmbeddedPostgresql.connect(); Statement sql = db.createStatement()) {
            try (ResultSet failed = sql.executeQuery("select count(*) from flyway_schema_history where not success")) {
                assertTrue(failed.next());
                assertEquals(0, failed.getInt(1), "every migration succeeded");
            }
            // the PostgreSQL-only migration (db/postgresql) ran too: prefix searches have their pattern index
            try (ResultSet prefix = sql.executeQuery("select count(*) from pg_indexes where indexname = 'ix_fhir_idx_string_prefix'")) {
                assertTrue(prefix.next());
                assertEquals(1, prefix.getInt(1));
            }
            try (ResultSet keys = sql.executeQuery("select kid from signing_key where retired_at is null")) {
                assertTrue(keys.next());
                assertEquals(TestSigningKey.get().getKeyID(), keys.getString(1));
            }
            try (ResultSet admin = sql.executeQuery(
                    "select u.username, u.password_hash from bastion_user u join bastion_user_role r on r.user_id = u.id where r.role_name = 'admin'")) {
                assertTrue(admin.next());
                assertEquals("admin", admin.getString(1));
                assertTrue(admin.getString(2).startsWith("pbkdf2-sha256$"), "passwords are stored hashed");
            }
        }
    }
}
