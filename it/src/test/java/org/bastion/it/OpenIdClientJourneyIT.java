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
 * A client nobody here wrote: the certified openid-client library (npm) completes discovery,
 * registration, the code flow with PKCE through the real pages in headless Chromium, refresh
 * rotation, userinfo, introspection, revocation, private_key_jwt and the jwt-bearer grant, with
 * an admin (ADMIN_TOKEN) approving what a self-registered client may not do on its own.
 * The journey is src/test/node/oidc-journey.mjs; screenshots go to target/screenshots/oidc.
 */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class OpenIdClientJourneyIT {

    private static final String BASE = "http://localhost:8180";

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Test
    void openIdClientCompletesEveryFlowInABrowser() throws IOException, InterruptedException {
        NodeJourney.run("oidc-journey.mjs", "oidc-journey", Map.of(
                "BASTION_URL", BASE,
                "BASTION_USERNAME", "admin",
                "BASTION_PASSWORD", OAuthContract.adminPassword(),
                // Clients that register themselves get client_credentials, the JWT bearer grant,
                // system/ scopes and introspection of others' tokens only once an admin approves them.
                "ADMIN_TOKEN", OAuthClientSupport.adminToken(BASE),
                "SCREENSHOT_DIR", Path.of("target/screenshots/oidc").toAbsolutePath().toString()));
    }
}
