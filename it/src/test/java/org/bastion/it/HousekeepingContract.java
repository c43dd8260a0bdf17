package org.bastion.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Housekeeping through the admin API: table sizes, a run deleting what has expired and naming
 * the rows it deleted, live state surviving it, and one run at a time. Concurrent requests for a
 * run never overlap: one that meets a run holding the lease is refused with 409
 * housekeeping_running and deletes nothing; requests that happen not to meet both run, one after
 * the other. A run on the 5-minute schedule may come between two steps of a test: the tests
 * count what it deleted too.
 */
abstract class HousekeepingContract extends OAuthClientSupport {

    /** How long past its exp the server still accepts an assertion, and remembers its jti. */
    static final Duration ASSERTION_SKEW = Duration.ofSeconds(60);

    private final Browser browser = new Browser();

    HttpResponse<String> admin(String method, String path) {
        return browser.json(method, baseUrl() + "/admin/api" + path, null, "Authorization", "Bearer " + adminToken());
    }

    JSONObject report() {
        HttpResponse<String> response = admin("GET", "/housekeeping");
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    static long number(JSONObject object, String group, String name) {
        return ((Number) ((JSONObject) object.get(group)).get(name)).longValue();
    }

    /** The id of the last run, "" before the first. */
    static String lastRunId(JSONObject report) {
        JSONObject last = (JSONObject) report.get("last_run");
        return last == null ? "" : (String) last.get("id");
    }

    /** A run now; a run on the schedule holding the lease at that moment is waited for. */
    JSONObject run() throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = admin("POST", "/housekeeping/run");
            if (response.statusCode() != 409 || attempt == 20) {
                assertEquals(200, response.statusCode(), response.body());
                return json(response);
            }
            Thread.sleep(500);
        }
    }

    /** What the scheduled run (if any) that came after the run named before deleted from a table. */
    long deletedBySchedule(String runBefore, JSONObject report, String table) {
        JSONObject last = (JSONObject) report.get("last_run");
        return last == null || lastRunId(report).equals(runBefore) ? 0 : number(last, "deleted", table);
    }

    @Test
    void sizesCountTheTablesThatGrowWithUse() {
        JSONObject before = report();
        assertEquals("every 5 minutes", before.get("schedule"));
        for (String table : List.of("authorization_request", "authorization_code", "access_token", "token_revocation", "refresh_token", "used_assertion",
                "login_session", "launch_context", "audit_event", "fhir_resource")) {
            assertTrue(number(before, "tables", table) >= 0, table + " is not counted: " + before);
        }
        assertTrue(Instant.parse((String) before.get("next_run")).isAfter(Instant.now().minusSeconds(5)), "the next run is to come: " + before);
        // the embedded default's file (compacted while the server runs): its size, and live shares that are percentages
        JSONObject h2 = (JSONObject) before.get("h2_file");
        assertTrue(h2 != null && ((Number) h2.get("bytes")).longValue() > 0, "the H2 file is reported: " + before);
        for (String rate : List.of("chunks_fill_rate", "fill_rate")) {
            long percent = ((Number) h2.get(rate)).longValue();
            assertTrue(percent > 0 && percent <= 100, rate + ": " + h2);
        }
        String clientId = (String) register(browser, publicApp()).get("client_id");
        int started = 20;
        for (int i = 0; i < started; i++) {
            // a browser without a session: each request waits at the sign-in page as a pending request
            assertEquals(303, new Browser().get(authorizeUrl(clientId, new Pkce(), "openid", "s" + i, "")).statusCode());
        }
        JSONObject after = report();
        long pending = number(after, "tables", "authorization_request") + deletedBySchedule(lastRunId(before), after, "authorization_request");
        assertTrue(pending >= number(before, "tables", "authorization_request") + started, before + " then " + after);
    }

    @Test
    void runDeletesUsedAssertionsPastTheirExpiryAndNamesTheRowsDeleted() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("housekeeping").generate();
        Registered client = keyClient(browser, key, "client_credentials");
        String runBefore = lastRunId(report());
        // accepted within the clock skew the server allows, so remembered only a few seconds more
        Instant exp = Instant.now().minus(ASSERTION_SKEW).plusSeconds(8);
        List<String> assertions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertions.add(assertion(key, client.id(), exp));
            HttpResponse<String> token = browser.postForm(issuer() + "/token", clientAssertion(assertions.get(i),
                    "grant_type", "client_credentials", "scope", "system/*.rs"));
            assertEquals(200, token.statusCode(), token.body());
        }
        long remembered = number(report(), "tables", "used_assertion");
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), exp.plus(ASSERTION_SKEW).plusSeconds(1)).toMillis()));

        JSONObject before = report();
        JSONObject run = run();
        assertEquals("completed", run.get("outcome"), run.toString());
        long deleted = number(run, "deleted", "used_assertion") + deletedBySchedule(runBefore, before, "used_assertion");
        assertTrue(deleted >= 3, "the run names the three assertions it deleted: " + run);
        assertTrue(((Number) run.get("deleted_total")).longValue() >= number(run, "deleted", "used_assertion"), run.toString());
        assertTrue(number(report(), "tables", "used_assertion") <= remembered - 3, "the rows are gone: " + report());

        // forgetting the jti opens no replay: the assertion itself has expired
        assertError(browser.postForm(issuer() + "/token", clientAssertion(assertions.get(0), "grant_type", "client_credentials",
                "scope", "system/*.rs")), 400, "invalid_client", "expired at");
    }

    @Test
    void liveCodesAndTokensSurviveARun() throws InterruptedException {
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(new Browser(), clientId, pkce, "openid offline_access", List.of("openid", "offline_access"));
        run();
        HttpResponse<String> exchanged = exchange(browser, clientId, code, pkce.verifier);
        assertEquals(200, exchanged.statusCode(), "a code within its lifetime still redeems after a run: " + exchanged.body());
        JSONObject tokens = json(exchanged);
        run();
        assertEquals(200, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + tokens.get("access_token")).statusCode());
        HttpResponse<String> refreshed = refresh(browser, clientId, (String) tokens.get("refresh_token"), null);
        assertEquals(200, refreshed.statusCode(), "the refresh token survives the run: " + refreshed.body());
    }

    @Test
    void housekeepingRefusesCallersWithoutTheAdminToken() {
        for (HttpResponse<String> refused : List.of(browser.get(baseUrl() + "/admin/api/housekeeping"),
                browser.json("POST", baseUrl() + "/admin/api/housekeeping/run", null))) {
            assertError(refused, 401, "invalid_token", "No access token");
            assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("No access token"), refused.headers().toString());
        }
        HttpResponse<String> garbage = browser.json("POST", baseUrl() + "/admin/api/housekeeping/run", null, "Authorization", "Bearer not-a-token");
        assertEquals(401, garbage.statusCode(), garbage.body());
        assertFalse(String.valueOf(json(garbage).get("error_description")).isBlank(), garbage.body());
    }

    @Test
    void concurrentRunsNeverOverlap() throws Exception {
        String token = adminToken();
        List<JSONObject> ran = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3 && ran.isEmpty(); round++) {
                List<Future<HttpResponse<String>>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Callable<HttpResponse<String>> call = () -> new Browser().json("POST", baseUrl() + "/admin/api/housekeeping/run", null,
                            "Authorization", "Bearer " + token);
                    calls.add(pool.submit(call));
                }
                for (Future<HttpResponse<String>> call : calls) {
                    HttpResponse<String> response = call.get();
                    if (response.statusCode() == 409) {
                        // names the run holding the lease, unless that run let it go in the meantime
                        assertError(response, 409, "housekeeping_running", "this request deleted nothing");
                    } else {
                        assertEquals(200, response.statusCode(), response.body());
                        ran.add(json(response));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(ran.isEmpty(), "no request ran: each met a run holding the lease");
        ran.sort(Comparator.comparing(r -> Instant.parse((String) r.get("started_at"))));
        for (int i = 1; i < ran.size(); i++) {
            Instant finished = Instant.parse((String) ran.get(i - 1).get("finished_at"));
            Instant started = Instant.parse((String) ran.get(i).get("started_at"));
            assertFalse(started.isBefore(finished), "two runs overlapped: " + ran.get(i - 1) + " and " + ran.get(i));
        }
        assertFalse(report().containsKey("running"), "the lease is let go when a run ends");
    }

    /** A client assertion (RFC 7523 §3) of the client for the token endpoint, expiring at exp. */
    String assertion(ECKey key, String clientId, Instant exp) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(issuer() + "/token")
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(exp.minusSeconds(30))).expirationTime(Date.from(exp)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
