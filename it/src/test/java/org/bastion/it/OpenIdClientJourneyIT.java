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
        // a clinician an admin granted every patient: user/ scopes reach only what a user was granted
        String clinician = "oidc-clinician-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        java.net.http.HttpResponse<String> created = new Browser().postJson(BASE + "/admin/api/users", "{\"username\":\"" + clinician
                + "\",\"password\":\"correct horse battery\",\"fhirUser\":\"Practitioner/" + clinician + "\",\"all_patients\":true}",
                "Authorization", "Bearer " + OAuthClientSupport.adminToken(BASE));
        org.junit.jupiter.api.Assertions.assertEquals(201, created.statusCode(), created.body());
        NodeJourney.run("oidc-journey.mjs", "oidc-journey", Map.of(
                "BASTION_URL", BASE,
                "BASTION_USERNAME", clinician,
                "BASTION_PASSWORD", "correct horse battery",
                // Clients that register themselves get client_credentials, the JWT bearer grant,
                // system/ scopes and introspection of others' tokens only once an admin approves them.
                "ADMIN_TOKEN", OAuthClientSupport.adminToken(BASE),
                "SCREENSHOT_DIR", Path.of("target/screenshots/oidc").toAbsolutePath().toString()));
    }
}
