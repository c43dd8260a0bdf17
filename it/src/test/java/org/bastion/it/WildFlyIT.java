package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The EAR on a managed WildFly with the embedded default database, H2 (port offset 100). */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyIT extends PlatformContract implements BatchRuntimeContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }

    @Override
    public String batchBaseUrl() {
        return baseUrl();
    }
}
