package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;


/**
 * The seeds' single-page-app journeys in headless Chromium, on WildFly with H2 started with
 * BASTION_DEMO=true: the sample SMART app at /apps/patient-browser/ (standalone launch as the demo
 * practitioner and as the demo patient, EHR launch from the console), and the official SMART
 * JavaScript client (fhirclient from npm) completing a standalone launch. Screenshots go to
 * target/screenshots/apps.
 */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class SampleAppJourneyIT {

    private static final String BASE = "http://localhost:8180";
    private static final String SCREENSHOTS = Path.of("target/screenshots/apps").toAbsolutePath().toString();

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    /** The demo data job runs after deployment; its last act registers the demo clients. */
    @BeforeAll
    static void awaitDemoData() throws InterruptedException {
        DemoData.awaitReady(BASE);
    }

    @Test
    void practitionerAndPatientUseTheSampleAppAndTheConsoleLaunchesIt() throws IOException, InterruptedException {
        NodeJourney.run("patient-browser-journey.mjs", "patient-browser-journey", Map.of(
                "BASTION_URL", BASE,
                "ADMIN_USERNAME", "admin",
                "ADMIN_PASSWORD", OAuthClientSupport.adminPassword(),
                "SCREENSHOTS", SCREENSHOTS));
    }

    @Test
    void officialSmartClientCompletesAStandaloneLaunch() throws IOException, InterruptedException {
        NodeJourney.run("fhirclient-journey.mjs", "fhirclient-journey", Map.of(
                "BASTION_URL", BASE,
                // the patient picker offers what the signed-in user reaches: the demo clinician, whom the demo grants every patient
                "ADMIN_USERNAME", "demo-practitioner",
                "ADMIN_PASSWORD", "demo-practitioner",
                // The journey's self-registered backend client needs an admin's approval for client_credentials.
                "ADMIN_TOKEN", OAuthClientSupport.adminToken(BASE),
                "FHIRCLIENT_APP_PORT", "8690",
                "SCREENSHOTS", SCREENSHOTS));
    }
}
