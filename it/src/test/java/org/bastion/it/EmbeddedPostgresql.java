package org.bastion.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A real PostgreSQL server on port 15432, started before WildFly (whose datasource reads
 * BASTION_DB_URL=jdbc:postgresql://localhost:15432/postgres) and stopped when the run ends.
 */
public class EmbeddedPostgresql implements BeforeAllCallback {

    static final int PORT = 15432;
    private static EmbeddedPostgres server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        synchronized (EmbeddedPostgresql.class) {
            if (server == null) {
                server = EmbeddedPostgres.builder().setPort(PORT).start();
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(EmbeddedPostgresql.class, (ExtensionContext.Store.CloseableResource) server::close);
            }
        }
    }

    static Connection connect() throws SQLException {
        return server.getPostgresDatabase().getConnection();
    }
}
