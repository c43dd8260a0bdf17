package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** $validate, packages and validation on write, on a managed WildFly with PostgreSQL. */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class, ArquillianExtension.class})
class WildFlyPostgresValidationIT extends ValidationContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8380";
    }
}
