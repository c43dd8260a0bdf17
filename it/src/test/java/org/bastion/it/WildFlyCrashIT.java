package org.bastion.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
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

    /**
     * Subscription notifications are queued with the writes that cause them: acknowledged writes
     * whose notifications the endpoint refused (503) until the server was killed are all notified
     * after the restart, once the endpoint answers. Port 9680.
     */
    @Test
    void notificationsOfAcknowledgedWritesAreSentAfterAKill() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer endpoint = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (up.get()) {
                delivered.add(exchange.getRequestURI().getPath().replaceFirst(".*/", ""));
            } else {
                refused.incrementAndGet();
            }
            exchange.sendResponseHeaders(up.get() ? 200 : 503, -1);
            exchange.close();
        });
        endpoint.start();
        String origin = "http://127.0.0.1:" + endpoint.getAddress().getPort();
        Map<String, String> settings = new java.util.HashMap<>(SETTINGS);
        settings.put("BASTION_OUTBOUND_ALLOWED_ORIGINS", origin);
        settings.put("BASTION_SUBSCRIPTION_RETRY_SECONDS", "1");
        settings.put("BASTION_SUBSCRIPTION_ATTEMPTS", "100");
        WildFlyServer server = new WildFlyServer("crash-subscription", "standalone-bastion.xml", 1600, settings);
        server.clean();
        server.start();
        try {
            Browser browser = new Browser();
            String token = Tokens.sign(Tokens.claims(server.baseUrl()).build(), TestSigningKey.get());
            String fhir = server.baseUrl() + "/fhir/r4";
            String code = "crash-" + UUID.randomUUID().toString().substring(0, 8);
            HttpResponse<String> subscribed = browser.fhir(fhir, token, "POST", "/Subscription", SubscriptionContract.subscription(
                    "Observation?code=" + code, origin + "/hook", "application/fhir+json", "requested"));
            assertEquals(201, subscribed.statusCode(), subscribed.body());
            java.util.Set<String> written = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> created = browser.fhir(fhir, token, "POST", "/Observation", SubscriptionContract.observation(code));
                assertEquals(201, created.statusCode(), created.body());
                written.add(json(created).getAsString("id"));
            }
            for (int i = 0; i < 100 && refused.get() < 20; i++) {
                Thread.sleep(100);
            }
            assertTrue(refused.get() >= 20, "every notification was tried before the kill: " + refused.get());
            server.kill();
            up.set(true);
            server.start();
            java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofSeconds(90));
            while (!delivered.containsAll(written) && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(500);
            }
            assertEquals(written, delivered, "each acknowledged write notified after the restart:\n" + server.tail());
        } finally {
            server.kill();
            endpoint.stop(0);
        }
    }

    /**
     * A bulk export killed with SIGKILL between two chunks resumes after the restart, from the
     * position its job row recorded: the file ends with every resource exactly once. _elements
     * makes each line cost a parse, so that 20 000 Patients take seconds and the kill falls midway.
     * Port 9480 (a server of its own: the system client the tests register is remembered per URL).
     */
    @Test
    void aBulkExportKilledMidwayResumesAfterTheRestartWithEveryResourceOnce() throws Exception {
        WildFlyServer exporter = new WildFlyServer("crash-bulk", "standalone-bastion.xml", 1400, SETTINGS);
        exporter.clean();
        exporter.start();
        try {
            Browser browser = new Browser();
            String token = Tokens.sign(Tokens.claims(exporter.baseUrl()).build(), TestSigningKey.get());
            String fhir = exporter.baseUrl() + "/fhir/r4";
            for (int bundle = 0; bundle < 20; bundle++) {
                StringBuilder entries = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    entries.append(i == 0 ? "" : ",").append("{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"19")
                            .append(10 + i % 90).append("-01-01\",\"name\":[{\"family\":\"Bulk").append(bundle).append("\"}]},")
                            .append("\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
                }
                HttpResponse<String> loaded = browser.fhir(fhir, token, "POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}");
                assertEquals(200, loaded.statusCode(), loaded.body());
            }
            HttpResponse<String> kickOff = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir + "/$export?_type=Patient&_elements=birthDate"))
                    .header("Authorization", "Bearer " + token).header("Prefer", "respond-async").build());
            assertEquals(202, kickOff.statusCode(), kickOff.body());
            String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
            long atKill = killWhenWritten(exporter, browser, token, status);
            assertTrue(atKill < 20_000, "killed midway: " + atKill);
            exporter.start();
            net.minidev.json.JSONObject manifest = awaitManifest(browser, token, status);
            assertTrue(manifest != null, "the export resumed and completed after the restart:\n" + exporter.tail());
            net.minidev.json.JSONObject output = (net.minidev.json.JSONObject) ((net.minidev.json.JSONArray) manifest.get("output")).get(0);
            String[] lines = browser.fhir((String) output.get("url"), token, "GET", "", null).body().split("\n");
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (String line : lines) {
                String id = line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                assertTrue(ids.add(id), "each Patient once, no line written twice across the kill: " + id);
            }
            HttpResponse<String> total = browser.fhir(fhir, token, "GET", "/Patient?_summary=count", null);
            assertEquals(((Number) json(total).get("total")).longValue(), lines.length, "every Patient, none lost across the kill");
            assertEquals(((Number) output.get("count")).longValue(), lines.length);
            System.out.println("Bulk export killed after " + atKill + " of " + lines.length + " lines, resumed and completed");
            exporter.kill();
            importsIntoAnEmptyServerThroughAKill(lines);
        } finally {
            exporter.kill();
        }
    }

    /**
     * The exported lines, without their ids, imported into an empty server that is killed midway:
     * after the restart the import resumes after the last line that committed, and the server ends
     * with exactly as many Patients as the file has lines (a line written twice would be one more).
     */
    private static void importsIntoAnEmptyServerThroughAKill(String[] exported) throws Exception {
        WildFlyServer importer = new WildFlyServer("crash-import", "standalone-bastion.xml", 700, SETTINGS);
        importer.clean();
        importer.start();
        try {
            Browser browser = new Browser();
            String token = Tokens.sign(Tokens.claims(importer.baseUrl()).build(), TestSigningKey.get());
            String fhir = importer.baseUrl() + "/fhir/r4";
            StringBuilder ndjson = new StringBuilder();
            for (String line : exported) {
                ndjson.append(line.replaceFirst("\"id\":\"[^\"]+\",", "")).append('\n');
            }
            HttpResponse<String> uploaded = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir + "/$import-upload"))
                    .header("Authorization", "Bearer " + token).POST(java.net.http.HttpRequest.BodyPublishers.ofString(ndjson.toString())).build());
            assertEquals(201, uploaded.statusCode(), uploaded.body());
            String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueString\":\"Patient\"},"
                    + "{\"name\":\"url\",\"valueUri\":\"" + json(uploaded).getAsString("url") + "\"}]}]}";
            HttpResponse<String> kickOff = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir + "/$import"))
                    .header("Authorization", "Bearer " + token).header("Prefer", "respond-async").header("Content-Type", "application/fhir+json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(parameters)).build());
            assertEquals(202, kickOff.statusCode(), kickOff.body());
            String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
            long atKill = killWhenWritten(importer, browser, token, status);
            importer.start();
            net.minidev.json.JSONObject manifest = awaitManifest(browser, token, status);
            assertTrue(manifest != null, "the import resumed and completed after the restart:\n" + importer.tail());
            HttpResponse<String> total = browser.fhir(fhir, token, "GET", "/Patient?_summary=count", null);
            assertEquals(exported.length, ((Number) json(total).get("total")).longValue(), "every line once: none lost, none twice");
            assertEquals(List.of(), manifest.get("error"));
            System.out.println("Bulk import killed after " + atKill + " of " + exported.length + " lines, resumed and completed");
        } finally {
            importer.kill();
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

    /** Polls a bulk job's status URL and kills the server as soon as its X-Progress counts written resources: how many. */
    private static long killWhenWritten(WildFlyServer node, Browser browser, String token, String status) throws InterruptedException {
        java.util.regex.Pattern written = java.util.regex.Pattern.compile("(\\d+) resources written");
        while (true) {
            HttpResponse<String> polled = browser.fhir(status, token, "GET", "", null);
            assertEquals(202, polled.statusCode(), "the job must still run when the kill comes (more data needed): " + polled.body());
            java.util.regex.Matcher m = written.matcher(polled.headers().firstValue("X-Progress").orElse(""));
            if (m.find() && Long.parseLong(m.group(1)) > 0) {
                node.kill();
                return Long.parseLong(m.group(1));
            }
        }
    }

    /** The job's manifest once it completes (after a restart, the lease or the start's resume first), or null after four minutes. */
    private static net.minidev.json.JSONObject awaitManifest(Browser browser, String token, String status) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            HttpResponse<String> polled = browser.fhir(status, token, "GET", "", null);
            if (polled.statusCode() == 200) {
                return json(polled);
            }
            assertEquals(202, polled.statusCode(), polled.body());
            Thread.sleep(200);
        }
        return null;
    }
}
