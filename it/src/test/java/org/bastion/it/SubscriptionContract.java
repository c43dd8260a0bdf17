package org.bastion.it;

import com.sun.net.httpserver.HttpServer;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * R4 rest-hook Subscriptions through HTTP, with a local listener as the subscriber's endpoint: a
 * backend service an admin granted the scopes subscribes and is notified of what matches once the
 * write commits (the resource PUT to the endpoint, or an empty POST), with its headers; a failing
 * endpoint is tried again, then the subscription turns to error with the reason; tried as an
 * attacker would: patient tokens, a client without the scopes to read what it watches, endpoints on
 * private addresses (until an admin allows the origin), header injection, criteria and channels
 * this server does not serve. The servers under test run with BASTION_SUBSCRIPTION_ATTEMPTS=3 and
 * BASTION_SUBSCRIPTION_RETRY_SECONDS=1 (it/pom.xml).
 */
abstract class SubscriptionContract extends OAuthClientSupport {

    /** A request the listener received. */
    record Received(String method, String path, String authorization, String body) {
    }

    private final Browser browser = new Browser();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** How many of the next requests the listener answers 500. */
    private final AtomicInteger failNext = new AtomicInteger();
    private HttpServer listener;
    private String origin;
    /** The subscriptions a test made, and a token that may delete each: gone after the test, so that no other test's writes feed them. */
    private final java.util.Map<String, String> made = new java.util.LinkedHashMap<>();

    @BeforeEach
    void listen() throws IOException {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), new String(body, StandardCharsets.UTF_8)));
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        listener.start();
        origin = "http://127.0.0.1:" + listener.getAddress().getPort();
    }

    @AfterEach
    void stopListening() {
        made.forEach((id, token) -> fhir(token, "DELETE", "/Subscription/" + id, null));
        allowOutbound(baseUrl(), origin, false);
        listener.stop(0);
    }

    /** An admin-created backend client with these scopes, and its access token (client_credentials). */
    String backendToken(String scope) {
        HttpResponse<String> created = browser.json("POST", baseUrl() + "/admin/api/clients", "{\"client_name\":\"Subscriber "
                        + UUID.randomUUID().toString().substring(0, 6) + "\",\"grant_types\":[\"client_credentials\"],"
                        + "\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"" + scope + "\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, created.statusCode(), created.body());
        JSONObject client = Browser.json(created);
        Registered registered = new Registered((String) client.get("client_id"), (String) client.get("client_secret"), null);
        HttpResponse<String> token = browser.postForm(issuer() + "/token", Browser.form("grant_type", "client_credentials", "scope", scope),
                "Authorization", registered.basic());
        assertEquals(200, token.statusCode(), token.body());
        return (String) Browser.json(token).get("access_token");
    }

    static String subscription(String criteria, String endpoint, String payload, String status, String... headers) {
        StringBuilder channel = new StringBuilder("{\"type\":\"rest-hook\",\"endpoint\":\"" + endpoint + "\"");
        if (payload != null) {
            channel.append(",\"payload\":\"").append(payload).append('"');
        }
        if (headers.length > 0) {
            channel.append(",\"header\":[").append(String.join(",", List.of(headers).stream().map(h -> "\"" + h + "\"").toList())).append(']');
        }
        return "{\"resourceType\":\"Subscription\",\"status\":\"" + status + "\",\"reason\":\"integration\",\"criteria\":\"" + criteria
                + "\",\"channel\":" + channel + "}}";
    }

    HttpResponse<String> fhir(String token, String method, String path, String body) {
        return browser.fhir(fhirBase(), token, method, path, body);
    }

    String create(String token, String type, String json) {
        HttpResponse<String> created = fhir(token, "POST", "/" + type, json);
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) Browser.json(created).get("id");
        if (type.equals("Subscription")) {
            made.put(id, token);
        }
        return id;
    }

    static String observation(String code) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]}}";
    }

    Received next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    @Test
    void aMatchingWriteIsNotifiedAfterItCommitsWithTheResourceOrWithoutIt() throws InterruptedException {
        String token = backendToken("system/Subscription.cruds system/Observation.cruds system/Patient.cruds");
        String code = "sub-" + UUID.randomUUID().toString().substring(0, 8);
        String full = subscription("Observation?code=http://loinc.org|" + code, origin + "/hook", "application/fhir+json", "requested",
                "Authorization: Bearer hook-secret");
        HttpResponse<String> loopback = fhir(token, "POST", "/Subscription", full);
        assertEquals(400, loopback.statusCode(), "a loopback endpoint, until an admin allows its origin: " + loopback.body());
        assertTrue(loopback.body().contains("Subscription.channel.endpoint") && loopback.body().contains("allowed"), loopback.body());

        allowOutbound(baseUrl(), origin, true);
        assertTrue(browser.get(fhirBase() + "/metadata").body().contains("rest-hook subscriptions"), "the CapabilityStatement tells");
        String subscription = create(token, "Subscription", full);
        assertEquals("active", Browser.json(fhir(token, "GET", "/Subscription/" + subscription, null)).get("status"), "requested becomes active");

        create(token, "Observation", observation(code + "-other"));
        create(token, "Patient", "{\"resourceType\":\"Patient\"}");
        String matching = create(token, "Observation", observation(code));
        Received notified = next(20);
        assertNotNull(notified, "the matching observation was notified");
        assertEquals("PUT", notified.method(), notified.toString());
        assertEquals("/hook/Observation/" + matching, notified.path(), "the resource, at the endpoint's [type]/[id]");
        assertEquals("Bearer hook-secret", notified.authorization(), "with the subscription's header");
        assertTrue(notified.body().contains("\"id\":\"" + matching + "\"") && notified.body().contains(code), notified.body());
        assertNull(next(6), "neither the other observation nor the patient was notified");

        String updated = fhir(token, "GET", "/Subscription/" + subscription, null).body().replace("\"active\"", "\"off\"");
        assertEquals(200, fhir(token, "PUT", "/Subscription/" + subscription, updated).statusCode());
        create(token, "Observation", observation(code));
        assertNull(next(6), "a subscription turned off notifies nothing");

        String family = "Hook" + UUID.randomUUID().toString().substring(0, 8);
        create(token, "Subscription", subscription("Patient?family=" + family, origin + "/empty", null, "requested"));
        create(token, "Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}");
        Received empty = next(20);
        assertNotNull(empty, "the matching patient was notified");
        assertEquals("POST", empty.method());
        assertEquals("/empty", empty.path());
        assertEquals("", empty.body(), "without a payload, a notification carries nothing");
    }

    @Test
    void aFailingEndpointIsTriedAgainThenTheSubscriptionTurnsToErrorWithTheReason() throws InterruptedException {
        String token = backendToken("system/Subscription.cruds system/Observation.cruds");
        allowOutbound(baseUrl(), origin, true);
        String code = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        create(token, "Subscription", subscription("Observation?code=" + code, origin + "/flaky", "application/fhir+json", "requested"));
        failNext.set(1);
        String id = create(token, "Observation", observation(code));
        Received first = next(20);
        assertNotNull(first);
        Received second = next(20);
        assertNotNull(second, "tried again after the 500");
        assertEquals("/flaky/Observation/" + id, second.path());

        String failing = "fail-" + UUID.randomUUID().toString().substring(0, 8);
        String stopped = create(token, "Subscription", subscription("Observation?code=" + failing, origin + "/down", null, "requested"));
        failNext.set(1000);
        create(token, "Observation", observation(failing));
        JSONObject subscription = Browser.json(fhir(token, "GET", "/Subscription/" + stopped, null));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!"error".equals(subscription.get("status")) && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            subscription = Browser.json(fhir(token, "GET", "/Subscription/" + stopped, null));
        }
        assertEquals("error", subscription.get("status"), "three attempts failed: " + subscription.toJSONString());
        assertTrue(String.valueOf(subscription.get("error")).contains("HTTP 500"), "with the reason: " + subscription.toJSONString());
        int attempts = (int) received.stream().filter(r -> r.path().equals("/down")).count();
        assertEquals(3, attempts, "BASTION_SUBSCRIPTION_ATTEMPTS=3: " + received);
    }

    @Test
    void onlyABackendServiceThatMayReadWhatItWatchesSubscribes() {
        allowOutbound(baseUrl(), origin, true);
        String body = subscription("Observation?code=x", origin + "/hook", null, "requested");
        String patient = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "patient/*.cruds").claim("patient", "p-" + UUID.randomUUID())
                .build(), TestSigningKey.get());
        HttpResponse<String> asPatient = fhir(patient, "POST", "/Subscription", body);
        assertEquals(403, asPatient.statusCode(), asPatient.body());
        assertTrue(asPatient.body().contains("system/"), "the refusal says who may: " + asPatient.body());

        String blind = backendToken("system/Subscription.cruds");
        HttpResponse<String> cannotRead = fhir(blind, "POST", "/Subscription", body);
        assertEquals(403, cannotRead.statusCode(), "a client that cannot read observations does not watch them: " + cannotRead.body());
        assertTrue(cannotRead.body().contains("system/Observation.rs"), cannotRead.body());

        String token = backendToken("system/Subscription.cruds system/Observation.rs");
        create(token, "Subscription", body);
    }

    @Test
    void badSubscriptionsAreRefusedWithTheReason() {
        String token = backendToken("system/Subscription.cruds system/Observation.rs");
        allowOutbound(baseUrl(), origin, true);
        Object[][] refused = {
                {subscription("Nonsense?code=x", origin + "/h", null, "requested"), "resource type"},
                {subscription("Observation?flavour=x", origin + "/h", null, "requested"), "flavour"},
                {subscription("Observation?_count=5", origin + "/h", null, "requested"), "_count"},
                {subscription("Observation?code=x", origin + "/h", "text/plain", "requested"), "payload"},
                {subscription("Observation?code=x", origin + "/h", null, "requested", "X-Hook: a\\r\\nInjected: b"), "header"},
                {subscription("Observation?code=x", origin + "/h", null, "requested", "Content-Type: text/html"), "Content-Type"},
                {subscription("Observation?code=x", "http://169.254.169.254/latest/meta-data", null, "requested"), "endpoint"},
                {subscription("Observation?code=x", "https://10.0.0.8/hook", null, "requested"), "endpoint"},
                {subscription("Observation?code=x", "ftp://example.org/hook", null, "requested"), "endpoint"},
                {subscription("Observation?code=x", origin + "/h", null, "error"), "status"},
                {subscription("Observation?code=x", origin + "/h", null, "requested").replace("rest-hook", "email"), "rest-hook"},
        };
        for (Object[] attempt : refused) {
            HttpResponse<String> response = fhir(token, "POST", "/Subscription", (String) attempt[0]);
            assertEquals(400, response.statusCode(), attempt[0] + " -> " + response.body());
            assertTrue(response.body().contains("OperationOutcome") && response.body().contains((String) attempt[1]),
                    attempt[1] + " -> " + response.body());
        }
    }
}
