package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk Data export on a managed WildFly with H2. */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyBulkExportIT extends BulkExportContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }
}
