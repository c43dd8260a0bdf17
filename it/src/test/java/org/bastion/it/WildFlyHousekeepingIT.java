package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** Housekeeping and its lease, on a managed WildFly with H2. */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyHousekeepingIT extends HousekeepingContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }
}
