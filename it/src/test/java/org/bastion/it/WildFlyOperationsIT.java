package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

/** Health, request ids and metrics, on a managed WildFly with H2. */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyOperationsIT extends OperationsContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }

    @Override
    Path jsonLog() {
        return Path.of(System.getProperty("wildfly.home"), "standalone", "log", "bastion.json.log");
    }
}
