package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk Data export on a managed WildFly with PostgreSQL. */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class, ArquillianExtension.class})
class WildFlyPostgresBulkExportIT extends BulkExportContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8380";
    }
}
