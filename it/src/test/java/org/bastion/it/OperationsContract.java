package org.bastion.it;

import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator watches (docs/operations.md): liveness and readiness with their checks; a
 * request id in every response, in the JSON log lines of the request and in its audit record; the
 * metrics in the Prometheus text format, only for the metrics token, with label values the server
 * chooses. The server runs with BASTION_METRICS_TOKEN=it-metrics-token.
 */
abstract class OperationsContract extends OAuthClientSupport {

    static final String METRICS_TOKEN = "it-metrics-token";
    private static final Pattern GENERATED_ID = Pattern.compile("[0-9a-f]{24}");
    private final Browser browser = new Browser();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** The server's JSON log file. */
    abstract Path jsonLog();

    @Test
    void livenessAndReadinessAreUpWithTheirChecks() {
        HttpResponse<String> live = browser.get(baseUrl() + "/health/live");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", json(live).get("status"));
        assertEquals(List.of("threads"), names(live));

        HttpResponse<String> ready = browser.get(baseUrl() + "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", json(ready).get("status"));
        assertEquals(List.of("database", "signing-key", "audit-trail"), names(ready));
        assertTrue(ready.body().contains("\"kid\":\""), ready.body());
        assertEquals("no-store", ready.headers().firstValue("Cache-Control").orElse(""));

        HttpResponse<String> all = browser.get(baseUrl() + "/health");
        assertEquals(List.of("threads", "database", "signing-key", "audit-trail"), names(all));
    }

    @Test
    void anUnknownHealthPathIsA404ThatNamesTheRightOnes() {
        HttpResponse<String> unknown = browser.get(baseUrl() + "/health/everything");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(String.valueOf(json(unknown).get("error_description")).contains("/health/ready"), unknown.body());
    }

    @Test
    void everyResponseCarriesARequestIdAndAProxysWellFormedIdIsKept() {
        HttpResponse<String> plain = browser.get(fhirBase() + "/metadata");
        assertTrue(GENERATED_ID.matcher(plain.headers().firstValue("X-Request-Id").orElse("")).matches(), plain.headers().toString());
        HttpResponse<String> other = browser.get(fhirBase() + "/metadata");
        assertFalse(plain.headers().firstValue("X-Request-Id").equals(other.headers().firstValue("X-Request-Id")), "each request its own id");

        String proxy = "proxy-" + run + "-0001";
        assertEquals(proxy, browser.get(fhirBase() + "/metadata", "X-Request-Id", proxy).headers().firstValue("X-Request-Id").orElse(""));
    }

    @Test
    void aHostileRequestIdIsReplacedNotEchoedNorLogged() {
        for (String hostile : List.of("<script>alert(1)</script>", "short", "x".repeat(65), "a b c d e f g h", "id\"},\"level\":\"FATAL")) {
            HttpResponse<String> response = browser.get(fhirBase() + "/metadata", "X-Request-Id", hostile);
            String id = response.headers().firstValue("X-Request-Id").orElse("");
            assertTrue(GENERATED_ID.matcher(id).matches(), hostile + " was answered with id " + id);
        }
    }

    @Test
    void theRequestIdLeadsToTheAuditRecordAndTheJsonLogLines() throws Exception {
        String admin = adminToken();
        String id = "ops-" + run + "-rotate";
        HttpResponse<String> rotated = browser.postJson(baseUrl() + "/admin/api/keys/rotate", "{}", "Authorization", "Bearer " + admin,
                "X-Request-Id", id);
        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals(id, rotated.headers().firstValue("X-Request-Id").orElse(""));
        String kid = (String) json(rotated).get("kid");

        HttpResponse<String> trail = browser.get(baseUrl() + "/admin/api/audit?request=" + id, "Authorization", "Bearer " + admin);
        assertEquals(200, trail.statusCode(), trail.body());
        JSONArray entries = (JSONArray) json(trail).get("entry");
        assertEquals(1, entries.size(), trail.body());
        assertTrue(trail.body().contains("\"system\":\"urn:bastion:request-id\",\"value\":\"" + id + "\""), trail.body());
        assertTrue(trail.body().contains("/admin/api/keys/rotate"), trail.body());

        // the log line of the rotation, written while serving the request, carries its id
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String line = null;
        while (line == null && Instant.now().isBefore(deadline)) {
            line = Files.readAllLines(jsonLog()).stream().filter(l -> l.contains("Signing key rotated: " + kid)).findFirst().orElse(null);
            Thread.sleep(200);
        }
        assertTrue(line != null, "no JSON log line of the rotation in " + jsonLog());
        JSONObject logged = (JSONObject) net.minidev.json.JSONValue.parse(line);
        assertEquals(id, ((java.util.Map<?, ?>) logged.get("mdc")).get("requestId"), line);
        assertEquals("INFO", logged.get("level"), line);
    }

    @Test
    void metricsAreOnlyForTheMetricsToken() {
        HttpResponse<String> none = browser.get(baseUrl() + "/metrics");
        assertEquals(401, none.statusCode(), none.body());
        assertTrue(String.valueOf(json(none).get("error_description")).contains("BASTION_METRICS_TOKEN"), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none.headers().toString());

        HttpResponse<String> wrong = browser.get(baseUrl() + "/metrics", "Authorization", "Bearer " + METRICS_TOKEN + "x");
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals("invalid_token", json(wrong).get("error"));

        // an admin's access token is not the metrics token either
        HttpResponse<String> admin = browser.get(baseUrl() + "/metrics", "Authorization", "Bearer " + adminToken());
        assertEquals(401, admin.statusCode(), admin.body());
    }

    @Test
    void metricsCountRequestsRefusalsAndTokensAndTimeTheRequests() {
        String before = metrics();
        double reads = value(before, "bastion_http_requests_total{endpoint=\"fhir.read\",status=\"200\"}");
        double invalidToken = value(before, "bastion_refusals_total{endpoint=\"fhir.read\",reason=\"invalid_token\"}");
        double notFound = value(before, "bastion_refusals_total{endpoint=\"fhir.read\",reason=\"not-found\"}");
        double invalidClient = value(before, "bastion_refusals_total{endpoint=\"oauth2.token\",reason=\"invalid_client\"}");
        double issued = value(before, "bastion_tokens_issued_total{grant_type=\"client_credentials\"}");
        double timed = value(before, "bastion_http_request_duration_seconds_count{endpoint=\"fhir.read\"}");

        String token = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        String id = "ops-" + run;
        HttpResponse<String> put = browser.fhir(fhirBase(), token, "PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}");
        assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, browser.fhir(fhirBase(), token, "GET", "/Patient/" + id, null).statusCode());
        }
        assertEquals(401, browser.fhir(fhirBase(), "not-a-token", "GET", "/Patient/" + id, null).statusCode());
        assertEquals(404, browser.fhir(fhirBase(), token, "GET", "/Patient/ops-missing-" + run, null).statusCode());
        assertEquals(401, browser.postForm(issuer() + "/token", Browser.form("grant_type", "client_credentials"),
                "Authorization", AdminApiContract.basic("ops-nobody-" + run, "wrong")).statusCode());
        HttpResponse<String> client = browser.postJson(baseUrl() + "/admin/api/clients", "{\"client_name\":\"ops " + run + "\","
                        + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.rs\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, client.statusCode(), client.body());
        assertEquals(200, browser.postForm(issuer() + "/token", Browser.form("grant_type", "client_credentials", "scope", "system/*.rs"),
                "Authorization", AdminApiContract.basic((String) json(client).get("client_id"), (String) json(client).get("client_secret"))).statusCode());

        String after = metrics();
        assertEquals(reads + 3, value(after, "bastion_http_requests_total{endpoint=\"fhir.read\",status=\"200\"}"), 0.0, after);
        assertEquals(invalidToken + 1, value(after, "bastion_refusals_total{endpoint=\"fhir.read\",reason=\"invalid_token\"}"), 0.0, after);
        assertEquals(notFound + 1, value(after, "bastion_refusals_total{endpoint=\"fhir.read\",reason=\"not-found\"}"), 0.0, after);
        assertEquals(invalidClient + 1, value(after, "bastion_refusals_total{endpoint=\"oauth2.token\",reason=\"invalid_client\"}"), 0.0, after);
        assertEquals(issued + 1, value(after, "bastion_tokens_issued_total{grant_type=\"client_credentials\"}"), 0.0, after);
        double count = value(after, "bastion_http_request_duration_seconds_count{endpoint=\"fhir.read\"}");
        assertEquals(timed + 5, count, 0.0, after);
        assertEquals(count, value(after, "bastion_http_request_duration_seconds_bucket{endpoint=\"fhir.read\",le=\"+Inf\"}"), 0.0);
        assertTrue(value(after, "bastion_http_request_duration_seconds_sum{endpoint=\"fhir.read\"}") > 0, after);
        assertTrue(after.contains("# TYPE bastion_http_request_duration_seconds histogram"), after);
        assertTrue(after.contains("bastion_audit_backlog "), after);
        assertTrue(after.contains("jvm_memory_heap_bytes{area=\"used\"}"), after);
        if (poolStatistics()) {
            assertTrue(after.contains("bastion_db_pool_connections{state=\"in_use\"}"), after);
        }
        // no label carries what a client chose: ids, paths, client ids
        assertFalse(after.contains(id) || after.contains("ops-missing") || after.contains("ops-nobody"), after);
    }

    /** Whether the server publishes its datasource pool statistics (WildFly does). */
    boolean poolStatistics() {
        return true;
    }

    String metrics() {
        HttpResponse<String> response = browser.get(baseUrl() + "/metrics", "Authorization", "Bearer " + METRICS_TOKEN);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"), response.headers().toString());
        return response.body();
    }

    /** A sample's value; 0 when the series does not exist yet. */
    static double value(String metrics, String series) {
        Matcher sample = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private static List<String> names(HttpResponse<String> health) {
        return ((JSONArray) json(health).get("checks")).stream().map(c -> (String) ((java.util.Map<?, ?>) c).get("name")).toList();
    }
}
