package org.bastion.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's server (WildFly configured by configure.sh, H2 in the data folder) killed with
 * SIGKILL under load keeps every acknowledged write (CrashWorkload); then stopped with SIGTERM
 * while a transaction runs, it finishes that transaction before it exits. Port 8880.
 */
@ExtendWith(TestSigningKey.class)
class WildFlyCrashIT {

    static final Map<String, String> SETTINGS = Map.of(
            "BASTION_SIGNING_KEY_FILE", System.getProperty("test.signing.key"),
            "BASTION_ADMIN_PASSWORD", "it-admin-password",
            "BASTION_AUTHORIZE_RATE_LIMIT", "100000");

    private final WildFlyServer node = new WildFlyServer("crash-h2", "standalone-bastion.xml", 800, SETTINGS);

    @Test
    void everyAcknowledgedWriteSurvivesAKillAndASigtermFinishesTheRequestsInFlight() throws Exception {
        node.clean();
        node.start();
        try {
            CrashWorkload.Result result = new CrashWorkload(crashable(node), 8, CrashWorkload.load(Duration.ofSeconds(8))).run();
            System.out.println("WildFly + H2 crash: " + result);
            assertTrue(result.bundlesInFlight() > 0, "the kill came while a transaction was in flight: " + result);
            finishesInFlightRequestsOnSigterm(node);
        } finally {
            node.kill();
        }
    }

    static CrashWorkload.Server crashable(WildFlyServer node) {
        return new CrashWorkload.Server() {
            @Override
            public String baseUrl() {
                return node.baseUrl();
            }

            @Override
            public void kill() throws Exception {
                node.kill();
            }

            @Override
            public Duration start() throws Exception {
                return node.start();
            }
        };
    }

    /** A transaction Bundle in flight when SIGTERM arrives is answered, whole, before the server exits. */
    static void finishesInFlightRequestsOnSigterm(WildFlyServer node) throws Exception {
        String token = Tokens.sign(Tokens.claims(node.baseUrl()).build(), TestSigningKey.get());
        String key = "sigterm-" + UUID.randomUUID();
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 800; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:sigterm\",\"value\":\"")
                    .append(key).append("\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
        }
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}";
        CompletableFuture<HttpResponse<String>> answer = CompletableFuture.supplyAsync(
                () -> new Browser().fhir(node.baseUrl() + "/fhir/r4", token, "POST", "", bundle));
        Thread.sleep(300);
        assertTrue(!answer.isDone(), "the Bundle is still in flight when SIGTERM is sent");
        ProcessHandle jvm = node.terminate();
        HttpResponse<String> response = answer.get();
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(800, ((net.minidev.json.JSONArray) json(response).get("entry")).size());
        jvm.onExit().get();
        node.ended();
        String log = Files.readString(node.log(2));
        assertTrue(log.contains("Suspending server"), "the server suspended before it stopped:\n" + node.tail());
    }
}
