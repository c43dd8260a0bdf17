package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** SMART scopes on a managed WildFly with PostgreSQL (started with BASTION_ACCESS_TOKEN_QUERY=true). */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class, ArquillianExtension.class})
class WildFlyPostgresSmartScopesIT extends SmartScopesContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8380";
    }

    @Override
    boolean accessTokenQueryEnabled() {
        return true;
    }
}
