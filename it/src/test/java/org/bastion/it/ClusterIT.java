package org.bastion.it;

import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.bastion.it.Browser.form;
import static org.bastion.it.Browser.json;
import static org.bastion.it.Browser.location;
import static org.bastion.it.Browser.queryParam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes are one server: two WildFly processes with the same EAR on one PostgreSQL database,
 * behind haproxy (round robin, no stickiness, health checks on /health/ready), all started here.
 * The issuer is the proxy's URL. haproxy names the node that answered in X-Served-By, so a test
 * can send the next step to the other node on purpose.
 * Node A: port 8980, node B: 9080, the proxy: 8943.
 */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends OAuthClientSupport {

    static final String PROXY = "http://localhost:8943";
    /** The documented staleness bounds (docs/operations.md): clients and users, settings, keys. */
    static final Duration CLIENT_STALENESS = Duration.ofSeconds(5);
    static final Duration KEY_STALENESS = Duration.ofSeconds(10);

    private static WildFlyServer a;
    private static WildFlyServer b;
    private static Process proxy;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startCluster() throws Exception {
        try (Connection db = EmbeddedPostgresql.connect(); Statement statement = db.createStatement()) {
            statement.execute("drop database if exists cluster");
            statement.execute("create database cluster");
        }
        Map<String, String> settings = Map.of(
                "BASTION_BASE_URL", PROXY,
                "BASTION_DB_URL", "jdbc:postgresql://localhost:" + EmbeddedPostgresql.PORT + "/cluster",
                "BASTION_DB_USER", "postgres",
                "BASTION_DB_PASSWORD", "postgres",
                "BASTION_SIGNING_KEY_FILE", System.getProperty("test.signing.key"),
                "BASTION_ADMIN_PASSWORD", "it-admin-password",
                // both nodes seal and open the signing keys in the database with one key-encryption key
                "BASTION_KEY_ENCRYPTION_KEY", "Y2x1c3Rlci1pdC1rZXktZW5jcnlwdGlvbi1rZXkhISE=",
                "BASTION_AUTHORIZE_RATE_LIMIT", "100000",
                "BASTION_METRICS_TOKEN", OperationsContract.METRICS_TOKEN);
        a = new WildFlyServer("cluster-a", "standalone-bastion-pg.xml", 900, settings);
        b = new WildFlyServer("cluster-b", "standalone-bastion-pg.xml", 1000, settings);
        a.clean();
        b.clean();
        a.start(); // the first start migrates the schema and makes the admin; the second finds them
        b.start();
        proxy = startProxy();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (proxy != null) {
            proxy.destroy();
        }
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
    }

    @Override
    String baseUrl() {
        return PROXY;
    }

    private static Process startProxy() throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("work.dir"), "cluster-proxy");
        Files.createDirectories(dir);
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "  maxconn 512",
                "defaults",
                "  mode http",
                "  timeout connect 5s",
                "  timeout client 120s",
                "  timeout server 120s",
                "frontend bastion",
                "  bind 127.0.0.1:8943",
                "  http-request set-header X-Forwarded-Proto http",
                "  default_backend nodes",
                "backend nodes",
                "  balance roundrobin",
                "  option http-server-close",
                "  option httpchk GET /health/ready",
                "  http-check expect status 200",
                "  http-response set-header X-Served-By %[srv_name]",
                "  server a 127.0.0.1:" + a.port() + " check inter 1s fall 2 rise 2",
                "  server b 127.0.0.1:" + b.port() + " check inter 1s fall 2 rise 2",
                ""));
        Process started = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(30);
        Set<String> seen = new HashSet<>();
        while (seen.size() < 2) {
            assertTrue(started.isAlive(), "haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
            assertTrue(Instant.now().isBefore(deadline), "the proxy did not reach both nodes: " + seen);
            try {
                seen.add(Http.get(PROXY + "/health/ready").headers().firstValue("X-Served-By").orElse(""));
            } catch (IllegalStateException notYet) {
                Thread.sleep(200);
            }
        }
        return started;
    }

    private static String served(HttpResponse<String> response) {
        return response.headers().firstValue("X-Served-By").orElseThrow(() -> new AssertionError("not through the proxy: " + response.uri()));
    }

    /** The node that did not answer this response (through the proxy). */
    private static WildFlyServer other(HttpResponse<String> response) {
        return served(response).equals("a") ? b : a;
    }

    @Test
    @Order(1)
    void aNodeKilledUnderLoadLosesNoAcknowledgedWriteOnPostgresql() throws Exception {
        CrashWorkload.Result result = new CrashWorkload(WildFlyCrashIT.crashable(a), PROXY, 6, CrashWorkload.load(Duration.ofSeconds(8))).run();
        System.out.println("WildFly + PostgreSQL crash of one node: " + result);
        // the proxy takes the restarted node back
        Instant deadline = Instant.now().plusSeconds(20);
        Set<String> seen = new HashSet<>();
        while (seen.size() < 2 && Instant.now().isBefore(deadline)) {
            seen.add(served(Http.get(PROXY + "/health/ready")));
        }
        assertEquals(Set.of("a", "b"), seen, "both nodes serve through the proxy after the restart");
    }

    @Test
    @Order(2)
    void theRoundRobinSpreadsRequestsOverBothNodes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> metadata = new Browser().get(fhirBase() + "/metadata");
            assertEquals(200, metadata.statusCode());
            seen.add(served(metadata));
        }
        assertEquals(Set.of("a", "b"), seen);
    }

    @Test
    @Order(3)
    void aCodeFromOneNodeIsRedeemedOnTheOtherAndRefreshesAlternate() {
        Browser browser = new Browser();
        String clientId = publicClient();
        Pkce pkce = new Pkce();
        HttpResponse<String> consent = signIn(browser, clientId, pkce, "openid offline_access", "");
        Map<String, List<String>> decision = Browser.hiddenFields(consent.body());
        decision.put("decision", List.of("approve"));
        decision.put("scope", List.of("openid", "offline_access"));
        HttpResponse<String> callback = browser.postForm(issuer() + "/consent", decision);
        String code = code(callback);
        // the code was made on one node; the other redeems it
        WildFlyServer redeemer = other(callback);
        HttpResponse<String> tokens = browser.postForm(redeemer.baseUrl() + "/oauth2/token", form("grant_type", "authorization_code",
                "code", code, "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", pkce.verifier));
        assertEquals(200, tokens.statusCode(), tokens.body());
        String refresh = (String) json(tokens).get("refresh_token");

        List<String> used = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WildFlyServer node = i % 2 == 0 ? a : b;
            HttpResponse<String> refreshed = browser.postForm(node.baseUrl() + "/oauth2/token",
                    form("grant_type", "refresh_token", "refresh_token", refresh, "client_id", clientId));
            assertEquals(200, refreshed.statusCode(), "refresh " + i + " on node " + (i % 2 == 0 ? "a" : "b") + ": " + refreshed.body());
            used.add(refresh);
            refresh = (String) json(refreshed).get("refresh_token");
        }
        // a refresh token used on one node is spent on the other too (rotation)
        HttpResponse<String> replay = browser.postForm(b.baseUrl() + "/oauth2/token",
                form("grant_type", "refresh_token", "refresh_token", used.get(2), "client_id", clientId));
        assertError(replay, 400, "invalid_grant", "already used");
    }

    @Test
    @Order(4)
    void theSignInSessionAndTheConsentHoldOnBothNodes() {
        Browser browser = new Browser();
        String clientId = publicClient();
        signInAndConsent(browser, clientId, new Pkce(), "openid", List.of("openid"));
        // the same browser asks again, once on each node: signed in, consent remembered, straight back with a code
        for (WildFlyServer node : List.of(a, b)) {
            Pkce pkce = new Pkce();
            String url = authorizeUrl(clientId, pkce, "openid", "again", "").replace(PROXY, node.baseUrl());
            HttpResponse<String> again = browser.get(url);
            String next = location(again);
            assertTrue(next.startsWith(CALLBACK + "?"), "node " + node.baseUrl() + " sends the signed-in user back with a code: " + next);
            HttpResponse<String> tokens = browser.postForm(node.baseUrl() + "/oauth2/token", form("grant_type", "authorization_code",
                    "code", queryParam(next, "code"), "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", pkce.verifier));
            assertEquals(200, tokens.statusCode(), tokens.body());
        }
    }

    @Test
    @Order(5)
    void aClientDisabledOnOneNodeIsRefusedOnTheOtherWithinTheBound() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> created = browser.postJson(a.baseUrl() + "/admin/api/clients", "{\"client_name\":\"cluster " + run + "\","
                        + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.rs\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) json(created).get("client_id");
        String basic = AdminApiContract.basic(id, (String) json(created).get("client_secret"));
        String token = clientCredentials(b, basic);
        assertEquals(200, browser.fhir(b.baseUrl() + "/fhir/r4", token, "GET", "/Patient?_count=1", null).statusCode(), "node b takes the token");

        HttpResponse<String> disabled = browser.postJson(a.baseUrl() + "/admin/api/clients/" + id + "/disable", "{}", "Authorization", "Bearer " + adminToken());
        assertEquals(200, disabled.statusCode(), disabled.body());
        Instant at = Instant.now();
        // no new token on the other node, at once: the token endpoint reads the registration
        HttpResponse<String> refused = browser.postForm(b.baseUrl() + "/oauth2/token", form("grant_type", "client_credentials", "scope", "system/*.rs"),
                "Authorization", basic);
        assertTrue(refused.statusCode() == 400 || refused.statusCode() == 401, refused.body());
        // the token it has stops working on the other node within the bound
        Duration took = until(() -> browser.fhir(b.baseUrl() + "/fhir/r4", token, "GET", "/Patient?_count=1", null).statusCode() == 401,
                CLIENT_STALENESS.plusSeconds(2));
        System.out.println("A client disabled on node a: its token refused on node b after " + took.toMillis() + " ms");
        assertTrue(Duration.between(at, Instant.now()).compareTo(CLIENT_STALENESS.plusSeconds(2)) <= 0);
    }

    @Test
    @Order(6)
    void aKeyRotatedOnOneNodeVerifiesAtOnceOnTheOtherAndIsPublishedWithinTheBound() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> rotated = browser.postJson(a.baseUrl() + "/admin/api/keys/rotate", "{}", "Authorization", "Bearer " + adminToken());
        assertEquals(200, rotated.statusCode(), rotated.body());
        String kid = (String) json(rotated).get("kid");
        String basic = systemBasic();
        String token = clientCredentials(a, basic);
        assertEquals(kid, com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID(), "node a signs with the new key");
        assertEquals(200, browser.fhir(b.baseUrl() + "/fhir/r4", token, "GET", "/Patient?_count=1", null).statusCode(),
                "node b verifies a token of a key it has not loaded yet");
        Duration took = until(() -> new Browser().get(b.baseUrl() + "/oauth2/jwks").body().contains("\"" + kid + "\""), KEY_STALENESS.plusSeconds(2));
        System.out.println("A key rotated on node a: published by node b after " + took.toMillis() + " ms");
    }

    @Test
    @Order(7)
    void aSettingChangedOnOneNodeAppliesOnTheOtherWithinTheBound() throws Exception {
        Browser browser = new Browser();
        String origin = "https://cluster-" + run + ".example";
        HttpResponse<String> changed = browser.json("PUT", a.baseUrl() + "/admin/api/settings", "{\"outbound_allowed_origins\":\"" + origin + "\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(200, changed.statusCode(), changed.body());
        try {
            Duration took = until(() -> browser.get(b.baseUrl() + "/admin/api/settings", "Authorization", "Bearer " + adminToken()).body().contains(origin),
                    CLIENT_STALENESS.plusSeconds(2));
            System.out.println("A setting changed on node a: in force on node b after " + took.toMillis() + " ms");
        } finally {
            browser.json("PUT", a.baseUrl() + "/admin/api/settings", "{\"outbound_allowed_origins\":\"\"}", "Authorization", "Bearer " + adminToken());
        }
    }

    @Test
    @Order(8)
    void concurrentIfMatchUpdatesThroughBothNodesLoseNoUpdate() throws Exception {
        String token = clientCredentials(a, systemBasic());
        String id = "cluster-" + run;
        String fhirA = a.baseUrl() + "/fhir/r4";
        assertEquals(201, new Browser().fhir(fhirA, token, "PUT", "/Patient/" + id, patient(id, "start")).statusCode());
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            String version = (String) ((Map<?, ?>) json(new Browser().fhir(fhirA, token, "GET", "/Patient/" + id, null)).get("meta")).get("versionId");
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<HttpResponse<String>>> puts = new ArrayList<>();
            for (WildFlyServer node : List.of(a, b)) {
                String marker = "round-" + round + "-" + (node == a ? "a" : "b");
                puts.add(CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return new Browser().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/fhir/r4/Patient/" + id))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                            .header("If-Match", "W/\"" + version + "\"").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(patient(id, marker))).build());
                }));
            }
            List<Integer> statuses = puts.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).sorted().toList();
            assertEquals(200, statuses.get(0), "round " + round + ": one update wins: " + statuses);
            assertTrue(statuses.get(1) == 412 || statuses.get(1) == 409, "round " + round + ": the other is refused: " + statuses);
        }
        JSONObject last = json(new Browser().fhir(b.baseUrl() + "/fhir/r4", token, "GET", "/Patient/" + id, null));
        assertEquals(Integer.toString(1 + rounds), ((Map<?, ?>) last.get("meta")).get("versionId"), "every winning update is a version");
    }

    @Test
    @Order(9)
    void aConditionalCreateRacedThroughBothNodesCreatesOneResource() {
        String token = clientCredentials(a, systemBasic());
        for (int round = 0; round < 5; round++) {
            String key = run + "-" + round;
            CyclicBarrier together = new CyclicBarrier(6);
            List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                WildFlyServer node = i % 2 == 0 ? a : b;
                creates.add(CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return new Browser().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/fhir/r4/Patient"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                            .header("If-None-Exist", "identifier=urn:race|" + key)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:race\",\"value\":\""
                                    + key + "\"}]}")).build());
                }));
            }
            List<Integer> statuses = creates.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).sorted().toList();
            assertEquals(List.of(200, 200, 200, 200, 200, 201), statuses, "round " + round + ": one create, the others find it");
            HttpResponse<String> found = new Browser().fhir(b.baseUrl() + "/fhir/r4", token, "GET", "/Patient?identifier=urn:race|" + key + "&_summary=count", null);
            assertEquals(1, ((Number) json(found).get("total")).intValue(), found.body());
        }
    }

    @Test
    @Order(10)
    void housekeepingRunsOnOneNodeAtATime() {
        CyclicBarrier together = new CyclicBarrier(2);
        String admin = adminToken();
        List<CompletableFuture<HttpResponse<String>>> runs = new ArrayList<>();
        for (WildFlyServer node : List.of(a, b)) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                await(together);
                return new Browser().postJson(node.baseUrl() + "/admin/api/housekeeping/run", "{}", "Authorization", "Bearer " + admin);
            }));
        }
        List<HttpResponse<String>> answers = runs.stream().map(CompletableFuture::join).toList();
        List<JSONObject> done = answers.stream().filter(r -> r.statusCode() == 200).map(Browser::json).toList();
        assertTrue(!done.isEmpty(), "one node ran: " + answers.stream().map(HttpResponse::body).toList());
        for (HttpResponse<String> answer : answers) {
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 409 && answer.body().contains("housekeeping_running"), answer.body());
        }
        if (done.size() == 2) {
            // both ran: one after the other, each on its own node
            assertNotEquals(done.get(0).get("node"), done.get(1).get("node"));
            Instant firstEnd = Instant.parse((String) done.get(0).get("finished_at"));
            Instant secondStart = Instant.parse((String) done.get(1).get("started_at"));
            Instant secondEnd = Instant.parse((String) done.get(1).get("finished_at"));
            Instant firstStart = Instant.parse((String) done.get(0).get("started_at"));
            assertTrue(!firstEnd.isAfter(secondStart) || !secondEnd.isAfter(firstStart), "the runs did not overlap: " + done);
        }
    }

    /**
     * Writes through both nodes to a subscription: each matching write is notified exactly once,
     * whichever node queued it and although both nodes send (each claims what it sends).
     */
    @Test
    @Order(11)
    void eachSubscriptionNotificationIsSentByOneNode() throws Exception {
        Map<String, Integer> received = new java.util.concurrent.ConcurrentHashMap<>();
        com.sun.net.httpserver.HttpServer endpoint = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        endpoint.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.merge(exchange.getRequestURI().getPath().replaceFirst(".*/", ""), 1, Integer::sum);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        String origin = "http://127.0.0.1:" + endpoint.getAddress().getPort();
        Browser browser = new Browser();
        HttpResponse<String> allowed = browser.json("PUT", PROXY + "/admin/api/settings", "{\"outbound_allowed_origins\":\"" + origin + "\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(200, allowed.statusCode(), allowed.body());
        try {
            Thread.sleep(CLIENT_STALENESS.plusSeconds(1).toMillis()); // the setting on both nodes
            String token = clientCredentials(a, systemBasic());
            String fhir = PROXY + "/fhir/r4";
            String code = "cluster-" + run;
            HttpResponse<String> subscribed = browser.fhir(fhir, token, "POST", "/Subscription", SubscriptionContract.subscription(
                    "Observation?code=" + code, origin + "/hook", "application/fhir+json", "requested"));
            assertEquals(201, subscribed.statusCode(), subscribed.body());
            Thread.sleep(CLIENT_STALENESS.plusSeconds(1).toMillis()); // documented: both nodes watch it within 5 s
            Set<String> written = new HashSet<>();
            Set<String> nodes = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> created = browser.fhir(fhir, token, "POST", "/Observation", SubscriptionContract.observation(code));
                assertEquals(201, created.statusCode(), created.body());
                written.add((String) json(created).get("id"));
                nodes.add(served(created));
            }
            assertEquals(Set.of("a", "b"), nodes, "the writes went through both nodes");
            until(() -> received.keySet().containsAll(written), Duration.ofSeconds(60));
            Thread.sleep(3000); // a second sending would come now
            assertEquals(written, received.keySet());
            assertTrue(received.values().stream().allMatch(n -> n == 1), "each notified once: " + received);
        } finally {
            browser.json("PUT", PROXY + "/admin/api/settings", "{\"outbound_allowed_origins\":\"\"}", "Authorization", "Bearer " + adminToken());
            endpoint.stop(0);
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    private String publicClient() {
        HttpResponse<String> created = new Browser().postJson(PROXY + "/admin/api/clients", publicApp(), "Authorization", "Bearer " + adminToken());
        assertEquals(201, created.statusCode(), created.body());
        return (String) json(created).get("client_id");
    }

    private String systemBasic() {
        HttpResponse<String> created = new Browser().postJson(PROXY + "/admin/api/clients", "{\"client_name\":\"cluster system " + run + "\","
                        + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.*\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, created.statusCode(), created.body());
        return AdminApiContract.basic((String) json(created).get("client_id"), (String) json(created).get("client_secret"));
    }

    private static String clientCredentials(WildFlyServer node, String basic) {
        HttpResponse<String> response = new Browser().postForm(node.baseUrl() + "/oauth2/token", form("grant_type", "client_credentials"), "Authorization", basic);
        assertEquals(200, response.statusCode(), response.body());
        return (String) json(response).get("access_token");
    }

    private static String patient(String id, String marker) {
        return "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Cluster\",\"given\":[\"" + marker + "\"]}]}";
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the condition holds, failing after the bound: how long it took. */
    private static Duration until(java.util.function.BooleanSupplier condition, Duration bound) throws InterruptedException {
        Instant start = Instant.now();
        while (!condition.getAsBoolean()) {
            assertTrue(Duration.between(start, Instant.now()).compareTo(bound) < 0, "not within " + bound);
            Thread.sleep(100);
        }
        return Duration.between(start, Instant.now());
    }
}
