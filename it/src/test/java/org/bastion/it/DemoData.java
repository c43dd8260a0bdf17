package org.bastion.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The demo data set of a server started with BASTION_DEMO=true: loaded by a job after deployment. */
final class DemoData {

    private DemoData() {
    }

    /** Waits (at most 4 minutes) until the job's last act, the demo clients' registration, is done. */
    static void awaitReady(String base) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        HttpResponse<String> token;
        do {
            token = new Browser().postForm(base + "/oauth2/token", Browser.form("grant_type", "client_credentials", "scope", "system/Patient.rs"),
                    "Authorization", AdminApiContract.basic("postman", "postman-demo-secret"));
            if (token.statusCode() != 200) {
                Thread.sleep(1000);
            }
        } while (token.statusCode() != 200 && Instant.now().isBefore(deadline));
        assertEquals(200, token.statusCode(), "the demo data set was not ready within 4 minutes: " + token.body());
    }
}
