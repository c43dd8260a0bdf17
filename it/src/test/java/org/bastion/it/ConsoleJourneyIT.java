package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The admin console in headless Chromium: an admin signs in through Bastion's own authorization
 * server, creates clients, a user, a Japanese scope description, registers Keycloak as an
 * external issuer and rotates the signing key; then what was created is used through the
 * protocol. The journey is src/test/node/console-journey.mjs; screenshots of every page go to
 * target/screenshots/console.
 */
@ExtendWith({TestSigningKey.class, KeycloakServer.class, ArquillianExtension.class})
class ConsoleJourneyIT {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Test
    void adminManagesTheServerFromTheConsoleAndTheResultWorksThroughTheProtocol() throws IOException, InterruptedException {
        NodeJourney.run("console-journey.mjs", "console-journey", Map.of(
                "BASTION_URL", "http://localhost:8180",
                "BASTION_USERNAME", "admin",
                "BASTION_PASSWORD", OAuthClientSupport.adminPassword(),
                "EXTERNAL_DISCOVERY_URL", KeycloakServer.discoveryUrl(),
                "SCREENSHOT_DIR", Path.of("target/screenshots/console").toAbsolutePath().toString()));
    }
}
