package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The authorization server on a managed WildFly with H2, tokens signed RS256 (the default). */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyOAuthIT extends OAuthContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }
}
