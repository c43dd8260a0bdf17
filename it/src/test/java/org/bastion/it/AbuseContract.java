package org.bastion.it;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import net.minidev.json.JSONValue;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.bastion.it.Browser.form;
import static org.bastion.it.Browser.json;
import static org.bastion.it.Browser.location;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input and abuse, each attack next to the honest path: URLs that make the server fetch
 * what it should not (SSRF), password guessing (concurrent, per account and per address), and
 * the audit trail of security events.
 */
abstract class AbuseContract extends OAuthClientSupport {

    private final Browser browser = new Browser();

    /** The WildFly management port of the server under test: a loopback service an attacker would like to reach. */
    abstract int managementPort();

    HttpResponse<String> admin(String method, String path, String body) {
        return browser.json(method, baseUrl() + "/admin/api" + path, body, "Authorization", "Bearer " + adminToken());
    }

    /** A loopback HTTP server that counts the requests per path and answers what the handler says. */
    static final class Listener implements AutoCloseable {
        final HttpServer server;
        final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        final String origin;

        Listener(java.util.function.Function<String, String[]> answer) throws java.io.IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            origin = "http://127.0.0.1:" + server.getAddress().getPort();
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                String[] reply = answer.apply(path); // status, body, optional Location
                if (reply.length > 2) {
                    exchange.getResponseHeaders().add("Location", reply[2]);
                }
                byte[] bytes = reply[1].getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(Integer.parseInt(reply[0]), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
                exchange.close();
            });
            server.start();
        }

        int hits(String path) {
            return hits.getOrDefault(path, new AtomicInteger()).get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    HttpResponse<String> registerKeyClient(String jwksUri) {
        return postRegistration(browser, "{\"client_name\":\"IT backend " + UUID.randomUUID().toString().substring(0, 6)
                + "\",\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"scope\":\"system/*.rs\","
                + "\"jwks_uri\":\"" + jwksUri + "\"}");
    }

    HttpResponse<String> tokenWith(ECKey key, String clientId) throws Exception {
        return browser.postForm(issuer() + "/token", clientAssertion(assertion(key, clientId, clientId, issuer() + "/token",
                UUID.randomUUID().toString()), "grant_type", "client_credentials", "scope", "system/*.rs"));
    }

    // --- SSRF: URLs a client or an issuer names ------------------------------------------------------

    @Test
    void aJwksUriMustBePublicHttpsAndWhatAnsweredIsNeverTold() throws Exception {
        for (String uri : List.of("http://127.0.0.1:" + managementPort() + "/management", "https://127.0.0.1:" + managementPort() + "/",
                "https://localhost/jwks", "https://169.254.169.254/latest/meta-data", "https://10.1.2.3/jwks", "https://192.168.0.1/jwks",
                "https://[::1]/jwks", "https://[fd00::1]/jwks", "https://0.0.0.0/jwks", "http://example.org/jwks", "file:///etc/passwd",
                "https://user:pw@example.org/jwks")) {
            HttpResponse<String> refused = registerKeyClient(uri);
            assertError(refused, 400, "invalid_client_metadata", "jwks_uri");
        }

        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        String big = "{\"keys\":[" + ("{\"kty\":\"oct\",\"k\":\"" + "A".repeat(1000) + "\"},").repeat(3000) + "{}]}";
        try (Listener management = new Listener(path -> new String[]{"401", "{}"});
             Listener jwks = new Listener(path -> switch (path) {
                 case "/jwks" -> new String[]{"200", "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}"};
                 case "/big" -> new String[]{"200", big};
                 case "/redirect" -> new String[]{"302", "", management.origin + "/"};
                 default -> new String[]{"404", "{}"};
             })) {
            allowOutbound(baseUrl(), jwks.origin, true);
            try {
                // the honest path: a jwks_uri an admin allowed serves the client's key
                String honest = (String) json(registerKeyClient(jwks.origin + "/jwks")).get("client_id");
                trust(honest, "{\"approved_grant_types\":[\"client_credentials\"],\"approved_scope\":\"system/*.rs\"}");
                HttpResponse<String> token = tokenWith(key, honest);
                assertEquals(200, token.statusCode(), token.body());

                // 3 MB of keys: refused without saying what answered; fetched once however often the client_id is sent
                String bigClient = (String) json(registerKeyClient(jwks.origin + "/big")).get("client_id");
                String redirecting = (String) json(registerKeyClient(jwks.origin + "/redirect?to=" + management.origin)).get("client_id");
                String late = (String) json(registerKeyClient(jwks.origin + "/late")).get("client_id");
                for (String id : List.of(bigClient, redirecting, late)) {
                    trust(id, "{\"approved_grant_types\":[\"client_credentials\"],\"approved_scope\":\"system/*.rs\"}");
                }
                for (int i = 0; i < 5; i++) {
                    HttpResponse<String> refused = tokenWith(key, bigClient);
                    assertTrue(refused.statusCode() == 400 || refused.statusCode() == 401, refused.body());
                    assertEquals("invalid_client", json(refused).get("error"), refused.body());
                    String description = (String) json(refused).get("error_description");
                    assertTrue(description.contains("could not be fetched or used"), description);
                    assertFalse(description.contains("HTTP") || description.contains("bytes") || description.contains("127.0.0.1"),
                            "nothing about what answered: " + description);
                }
                assertEquals(1, jwks.hits("/big"), "a failed jwks_uri is fetched again at most every 10 s");

                // no redirect is followed
                HttpResponse<String> redirected = tokenWith(key, redirecting);
                assertEquals("invalid_client", json(redirected).get("error"), redirected.body());
                assertEquals(1, jwks.hits("/redirect"));
                assertEquals(0, management.hits.size(), "the redirect target saw nothing");

                // an origin no longer allowed is not fetched at all
                allowOutbound(baseUrl(), jwks.origin, false);
                HttpResponse<String> disallowed = tokenWith(key, late);
                assertEquals("invalid_client", json(disallowed).get("error"), disallowed.body());
                assertEquals(0, jwks.hits("/late"), "a loopback jwks_uri is not fetched once the admin's allowance is gone");
            } finally {
                allowOutbound(baseUrl(), jwks.origin, false);
            }
        }
    }

    @Test
    void aJwksUriOverHttpsServesTheClientsKeysOnceAnAdminAllowedItsOrigin() throws Exception {
        // a local https listener with the certificate the server under test trusts (it/pom.xml, test-tls-key)
        java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(System.getProperty("work.dir"), "test-tls.p12"))) {
            keyStore.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, "changeit".toCharArray());
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("tls-1").generate();
        com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
        AtomicInteger fetched = new AtomicInteger();
        server.createContext("/jwks", exchange -> {
            fetched.incrementAndGet();
            byte[] body = ("{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String origin = "https://127.0.0.1:" + server.getAddress().getPort();
        try {
            assertError(registerKeyClient(origin + "/jwks"), 400, "invalid_client_metadata", "jwks_uri"); // loopback: not until an admin says so
            allowOutbound(baseUrl(), origin, true);
            String client = (String) json(registerKeyClient(origin + "/jwks")).get("client_id");
            trust(client, "{\"approved_grant_types\":[\"client_credentials\"],\"approved_scope\":\"system/*.rs\"}");
            HttpResponse<String> token = tokenWith(key, client);
            assertEquals(200, token.statusCode(), token.body());
            assertEquals(1, fetched.get(), "the keys came over TLS from the client's jwks_uri");
        } finally {
            allowOutbound(baseUrl(), origin, false);
            server.stop(0);
        }
    }

    @Test
    void anExternalIssuerOnAPrivateAddressIsRefusedWithoutSayingWhatAnswered() {
        for (String url : List.of("http://127.0.0.1:" + managementPort() + "/.well-known/openid-configuration",
                "https://127.0.0.1:" + managementPort() + "/.well-known/openid-configuration",
                "https://169.254.169.254/.well-known/openid-configuration", "https://172.16.0.1/.well-known/openid-configuration")) {
            HttpResponse<String> refused = admin("POST", "/issuers", "{\"discovery_url\":\"" + url + "\"}");
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals("discovery_url", json(refused).get("field"));
            assertFalse(refused.body().contains("401") || refused.body().contains("HTTP"), "nothing about what answered: " + refused.body());
        }
    }

    // --- sign-in throttling --------------------------------------------------------------------------

    @Test
    void concurrentWrongPasswordsAreAllCountedAndTheRightOneThenWaits() throws Exception {
        String username = "guess-" + UUID.randomUUID();
        createUser(adminToken(), username, null, "[]");
        String clientId = (String) register(browser, publicApp()).get("client_id");
        int attempts = 12;
        List<Map<String, List<String>>> forms = new ArrayList<>();
        List<Browser> browsers = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            Browser b = new Browser();
            Map<String, List<String>> form = Browser.hiddenFields(b.get(location(b.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "")))).body());
            form.put("username", List.of(username));
            form.put("password", List.of("wrong " + i));
            forms.add(form);
            browsers.add(b);
        }
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                int n = i;
                answers.add(pool.submit(() -> browsers.get(n).postForm(issuer() + "/login", forms.get(n))));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals(401, answer.get().statusCode());
            }
        } finally {
            pool.shutdown();
        }
        JSONObject entry = throttle("user:" + username);
        assertEquals(attempts, ((Number) entry.get("failures")).intValue(), "no failure is lost to a race: " + entry);
        assertEquals(Boolean.TRUE, entry.get("waiting"), entry.toString());

        Map<String, List<String>> form = forms.get(0);
        form.put("password", List.of("correct horse battery"));
        HttpResponse<String> right = browsers.get(0).postForm(issuer() + "/login", form);
        assertEquals(401, right.statusCode(), "the right password waits too, while the name is throttled");
        assertEquals(OAuthContract.alert(browsers.get(1).postForm(issuer() + "/login", forms.get(1)).body()), OAuthContract.alert(right.body()),
                "and reads exactly like a wrong one");
        assertEquals(204, admin("DELETE", "/sign-in-throttles?key=" + enc("user:" + username), null).statusCode());
        assertEquals(303, browsers.get(0).postForm(issuer() + "/login", form).statusCode(), "after the admin lifts it, the user signs in");
    }

    @Test
    void oneAddressGuessingManyNamesIsSlowedDownAndAnAdminSeesIt() throws Exception {
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Browser b = new Browser();
        Map<String, List<String>> form = Browser.hiddenFields(b.get(location(b.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "")))).body());
        form.put("password", List.of("Winter2026!"));
        String address = null;
        try {
            for (int i = 0; i < 60 && address == null; i++) {
                form.put("username", List.of("spray-" + i + "-" + UUID.randomUUID()));
                assertEquals(401, b.postForm(issuer() + "/login", form).statusCode());
                address = addressWaiting();
            }
            assertTrue(address != null, "after at most 50 failures from one address, the address waits");
            String username = "honest-" + UUID.randomUUID();
            createUser(adminToken(), username, null, "[]");
            form.put("username", List.of(username));
            form.put("password", List.of("correct horse battery"));
            assertEquals(401, b.postForm(issuer() + "/login", form).statusCode(), "while the address waits, nothing is judged from it");
        } finally {
            if (address != null) {
                assertEquals(204, admin("DELETE", "/sign-in-throttles?key=" + enc(address), null).statusCode());
            }
        }
        assertEquals(303, b.postForm(issuer() + "/login", form).statusCode(), "lifted by the admin, the address signs in again");
    }

    @Test
    void anonymousAuthorizationRequestsFromOneAddressAreRateLimited() {
        String clientId = (String) register(browser, publicApp()).get("client_id");
        String username = "limited-" + UUID.randomUUID();
        createUser(adminToken(), username, null, "[]");
        Browser signedIn = new Browser();
        signInAndConsent(signedIn, clientId, new Pkce(), "openid", List.of("openid"), username, "correct horse battery");
        assertEquals(200, admin("PUT", "/settings", "{\"authorize_rate_limit\":3}").statusCode());
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(303, new Browser().get(authorizeUrl(clientId, new Pkce(), "openid", "s", "")).statusCode(), "request " + (i + 1));
            }
            HttpResponse<String> limited = new Browser().get(authorizeUrl(clientId, new Pkce(), "openid", "s", ""));
            assertEquals(429, limited.statusCode(), limited.body());
            assertTrue(limited.body().contains("Too many sign-in requests"), limited.body());
            int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0"));
            assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);
            HttpResponse<String> withSession = signedIn.get(authorizeUrl(clientId, new Pkce(), "openid", "s", ""));
            assertEquals(303, withSession.statusCode(), "a browser with a session is not counted: " + withSession.body());
        } finally {
            assertEquals(200, admin("PUT", "/settings", "{\"authorize_rate_limit\":100000}").statusCode());
        }
        assertEquals(303, new Browser().get(authorizeUrl(clientId, new Pkce(), "openid", "s", "")).statusCode(), "with the limit raised, anonymous flows start again");
    }

    @Test
    void theThrottleAndOutboundSettingsTakeOnlyAnAdminAndNameTheBadField() {
        HttpResponse<String> badKey = admin("DELETE", "/sign-in-throttles?key=" + enc("someone"), null);
        assertEquals(400, badKey.statusCode(), badKey.body());
        assertEquals("key", json(badKey).get("field"));
        assertEquals(400, admin("DELETE", "/sign-in-throttles", null).statusCode(), "no key at all");
        assertEquals(404, admin("DELETE", "/sign-in-throttles?key=" + enc("user:never-" + UUID.randomUUID()), null).statusCode());
        for (String[] bad : List.of(new String[]{"{\"outbound_allowed_origins\":\"https://idp.example.org/path\"}", "outbound_allowed_origins"},
                new String[]{"{\"outbound_allowed_origins\":\"ftp://idp.example.org\"}", "outbound_allowed_origins"},
                new String[]{"{\"outbound_allowed_origins\":\"" + "https://a.example.org,".repeat(400) + "\"}", "outbound_allowed_origins"},
                new String[]{"{\"authorize_rate_limit\":-1}", "authorize_rate_limit"},
                new String[]{"{\"authorize_rate_limit\":\"many\"}", "authorize_rate_limit"})) {
            HttpResponse<String> refused = admin("PUT", "/settings", bad[0]);
            assertEquals(400, refused.statusCode(), refused.body());
            assertEquals(bad[1], json(refused).get("field"), refused.body());
        }

        // a user's token, a forged system token, no token, a disabled admin: none reads or lifts throttles, or opens outbound origins
        String username = "not-admin-" + UUID.randomUUID();
        createUser(adminToken(), username, null, "[]");
        String adminName = "soon-disabled-" + UUID.randomUUID();
        String adminId = createUserWithId(adminToken(), adminName, ",\"roles\":[\"admin\"]");
        String disabledAdmin = userToken(adminName, "correct horse battery");
        assertEquals(200, browser.get(baseUrl() + "/admin/api/sign-in-throttles", "Authorization", "Bearer " + disabledAdmin).statusCode(),
                "an enabled admin's token reads the throttles");
        assertEquals(200, admin("PUT", "/users/" + adminId, "{\"enabled\":false}").statusCode());
        String opened = "{\"outbound_allowed_origins\":\"http://127.0.0.1:" + managementPort() + "\"}";
        for (String[] caller : List.of(new String[]{userToken(username, "correct horse battery"), "403"},
                new String[]{Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()), "403"},
                new String[]{disabledAdmin, "401"})) {
            HttpResponse<String> read = browser.get(baseUrl() + "/admin/api/sign-in-throttles", "Authorization", "Bearer " + caller[0]);
            assertEquals(Integer.parseInt(caller[1]), read.statusCode(), read.body());
            assertTrue(json(read).get("error_description") != null, "the refusal says why: " + read.body());
            assertEquals(Integer.parseInt(caller[1]), browser.json("PUT", baseUrl() + "/admin/api/settings", opened,
                    "Authorization", "Bearer " + caller[0]).statusCode());
        }
        HttpResponse<String> anonymous = browser.json("DELETE", baseUrl() + "/admin/api/sign-in-throttles?key=" + enc("ip:127.0.0.1"), null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(json(anonymous).get("error_description") != null, anonymous.body());
        String origins = String.valueOf(((Map<?, ?>) json(admin("GET", "/settings", null)).get("outbound_allowed_origins")).get("value"));
        assertFalse(origins.contains(":" + managementPort()), "no refused caller opened an origin: " + origins);
    }

    private JSONObject throttle(String key) {
        HttpResponse<String> list = admin("GET", "/sign-in-throttles", null);
        assertEquals(200, list.statusCode(), list.body());
        for (Object item : (JSONArray) JSONValue.parse(list.body())) {
            if (key.equals(((JSONObject) item).get("key"))) {
                return (JSONObject) item;
            }
        }
        throw new AssertionError(key + " is not in " + list.body());
    }

    private String addressWaiting() {
        for (Object item : (JSONArray) JSONValue.parse(admin("GET", "/sign-in-throttles", null).body())) {
            JSONObject entry = (JSONObject) item;
            if (((String) entry.get("key")).startsWith("ip:") && Boolean.TRUE.equals(entry.get("waiting"))) {
                return (String) entry.get("key");
            }
        }
        return null;
    }

    // --- the audit trail of security events ----------------------------------------------------------

    @Test
    void everySecurityEventIsInTheAuditTrailWithItsClientAndToken() throws Exception {
        String username = "audited-" + UUID.randomUUID();
        createUser(adminToken(), username, null, "[]");
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Browser b = new Browser();
        Map<String, List<String>> form = Browser.hiddenFields(b.get(location(b.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "")))).body());
        form.put("username", List.of(username));
        form.put("password", List.of("not it"));
        assertEquals(401, b.postForm(issuer() + "/login", form).statusCode());
        Pkce pkce = new Pkce();
        String code = signInAndConsent(new Browser(), clientId, pkce, "openid", List.of("openid"), username, "correct horse battery");
        JSONObject tokens = json(exchange(browser, clientId, code, pkce.verifier));
        String accessToken = (String) tokens.get("access_token");
        String jti = com.nimbusds.jwt.SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
        Registered server = resourceServer(browser);
        assertEquals(Boolean.TRUE, introspect(browser, server, accessToken).get("active"));
        HttpResponse<String> revoked = browser.postForm(issuer() + "/revoke", form("token", accessToken, "client_id", clientId));
        assertEquals(200, revoked.statusCode(), revoked.body());

        assertEquals(200, browser.get(issuer() + "/logout?client_id=" + enc(clientId)).statusCode(), "a logout link only asks");

        String trail = admin("GET", "/audit?category=security&_count=200", null).body();
        for (String action : List.of("sign-in", "consent", "introspect", "revoke", "register-create", "logout")) {
            assertTrue(trail.contains("\"code\":\"" + action + "\""), action + " is recorded: " + trail);
        }
        assertTrue(trail.contains("wrong username or password") && trail.contains("signed in as " + username)
                && trail.contains("approved openid") && trail.contains("asked the user to confirm"), trail);
        assertTrue(trail.contains(clientId) && trail.contains(server.id()), "records name the client: " + trail);
        String tokenTrail = admin("GET", "/audit?category=token&client=" + enc(clientId) + "&_count=5", null).body();
        assertTrue(tokenTrail.contains(jti), "the token request names the token it issued: " + tokenTrail);
        String adminTrail = admin("GET", "/audit?category=admin&client=bastion-console&_count=5", null).body();
        assertTrue(adminTrail.contains("\"GET /admin/api/audit\"") && adminTrail.contains("urn:ietf:params:oauth:jti"),
                "admin reads are recorded with the console client and the token's jti: " + adminTrail);
    }

    @Test
    void anInitialAccessTokenIsSpentOnlyByASuccessfulRegistration() {
        HttpResponse<String> issued = admin("POST", "/initial-access-tokens", "{\"uses\":1}");
        assertEquals(201, issued.statusCode(), issued.body());
        String token = (String) json(issued).get("token");
        HttpResponse<String> refused = browser.postJson(issuer() + "/register", "{\"client_name\":\"IT backend\",\"grant_types\":"
                + "[\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"jwks_uri\":\"https://10.0.0.1/jwks\"}",
                "Authorization", "Bearer " + token);
        assertError(refused, 400, "invalid_client_metadata", "jwks_uri");
        HttpResponse<String> registered = browser.postJson(issuer() + "/register", publicApp(), "Authorization", "Bearer " + token);
        assertEquals(201, registered.statusCode(), "the refused registration did not use the token up: " + registered.body());
        if (!registrationOpen()) {
            HttpResponse<String> again = browser.postJson(issuer() + "/register", publicApp(), "Authorization", "Bearer " + token);
            assertEquals(401, again.statusCode(), "its one use is gone now: " + again.body());
        }
    }

    // --- limits: every request's cost is bounded, and a refusal names the limit ---------------------

    HttpResponse<String> fhir(String method, String path, String body) {
        return browser.fhir(fhirBase(), Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()), method, path, body);
    }

    static void assertOutcome(HttpResponse<String> response, int status, String inDiagnostics) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"resourceType\":\"OperationOutcome\"") && response.body().contains(inDiagnostics), response.body());
    }

    @Test
    void hugeNumbersAreRefusedAtOnceInSearchesAndInResources() {
        String patient = "lim-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, fhir("PUT", "/Patient/" + patient, "{\"resourceType\":\"Patient\",\"id\":\"" + patient + "\"}").statusCode());
        String observation = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"weight\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"valueQuantity\":{\"value\":VALUE,\"unit\":\"kg\"}}";
        for (String huge : List.of("1e999999999", "1e300000", "-1e30", "1e-999999999", "123456789012345678901234567890")) {
            long started = System.nanoTime();
            assertOutcome(fhir("GET", "/Observation?value-quantity=" + huge, null), 400, "digits before the decimal point");
            HttpResponse<String> posted = fhir("POST", "/Observation", observation.replace("VALUE", huge));
            if (List.of("1e999999999", "1e300000", "1e-999999999").contains(huge)) {
                assertOutcome(posted, 400, "exponent beyond"); // refused as the body streams in: the parser would write it out in full
            } else {
                assertOutcome(posted, 422, "digits before the decimal point"); // parsed, then refused by the index
            }
            assertTrue(System.nanoTime() - started < 5_000_000_000L, huge + " is refused without expanding it");
        }
        String xml = "<Observation xmlns=\"http://hl7.org/fhir\"><status value=\"final\"/><code><text value=\"w\"/></code>"
                + "<valueQuantity><value value=\"1e999999999\"/></valueQuantity></Observation>";
        HttpResponse<String> xmlPosted = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/Observation"))
                .header("Authorization", "Bearer " + Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()))
                .header("Content-Type", "application/fhir+xml").header("Accept", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(xml)).build());
        assertOutcome(xmlPosted, 400, "exponent beyond");
        assertEquals(201, fhir("POST", "/Observation", observation.replace("VALUE", "72.45")).statusCode(), "an ordinary value is stored");
        HttpResponse<String> found = fhir("GET", "/Observation?subject=Patient/" + patient + "&value-quantity=72.45", null);
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().contains("72.45"), found.body());
    }

    @Test
    void searchesAreBoundedInOffsetIncludesOrValuesAndChainDepth() {
        assertOutcome(fhir("GET", "/Patient?_offset=10001", null), 400, "BASTION_FHIR_MAX_OFFSET");
        assertEquals(200, fhir("GET", "/Patient?_offset=10&_count=1", null).statusCode());
        String includes = "&_include=Observation:subject".repeat(6) + "&_revinclude=Provenance:target".repeat(5);
        assertOutcome(fhir("GET", "/Observation?_count=1" + includes, null), 400, "BASTION_FHIR_MAX_INCLUDES");
        assertEquals(200, fhir("GET", "/Observation?_count=1&_include=Observation:subject&_revinclude=Provenance:target", null).statusCode());
        String many = String.join(",", java.util.stream.IntStream.range(0, 101).mapToObj(i -> "c" + i).toList());
        assertOutcome(fhir("GET", "/Observation?code=" + many, null), 400, "BASTION_FHIR_MAX_OR_VALUES");
        assertEquals(200, fhir("GET", "/Observation?code=" + many.substring(0, many.lastIndexOf(',')), null).statusCode(), "100 values are fine");
        assertOutcome(fhir("GET", "/Observation?subject:Patient.organization.partof.partof.name=x", null), 400, "BASTION_FHIR_MAX_CHAIN_DEPTH");
        assertEquals(200, fhir("GET", "/Observation?subject:Patient.organization.partof.name=x", null).statusCode());
        assertOutcome(fhir("GET", "/Patient?_has:Observation:subject:_has:Provenance:target:_has:AuditEvent:entity:_has:Basic:subject:code=x", null),
                400, "BASTION_FHIR_MAX_CHAIN_DEPTH");
    }

    @Test
    void bodiesAreBoundedInSizeNestingAndBundleEntries() {
        assertOutcome(fhir("POST", "/Patient", nestedExtensions(40)), 400, "BASTION_FHIR_MAX_DEPTH");
        assertEquals(201, fhir("POST", "/Patient", nestedExtensions(10)).statusCode(), "nested extensions within the limit are stored");

        String entries = "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_count=1\"}},";
        String tooMany = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + entries.repeat(20_000) + entries.substring(0, entries.length() - 1) + "]}";
        assertOutcome(fhir("POST", "", tooMany), 413, "BASTION_FHIR_MAX_BUNDLE_ENTRIES");
        String few = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + entries.repeat(2) + entries.substring(0, entries.length() - 1) + "]}";
        assertEquals(200, fhir("POST", "", few).statusCode(), "a batch within the limit is processed");

        String big = "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + "x".repeat(bodyLimit()) + "\"}]}";
        assertOutcome(fhir("POST", "/Patient", big), 413, "BASTION_FHIR_MAX_BODY_BYTES");
        assertEquals(201, fhir("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"text\":\"" + "x".repeat(100_000) + "\"}]}").statusCode(),
                "a large but allowed body is stored");
    }

    /** A Patient with extensions nested this deep (two JSON levels each). */
    static String nestedExtensions(int levels) {
        StringBuilder json = new StringBuilder("{\"resourceType\":\"Patient\"");
        for (int i = 0; i < levels; i++) {
            json.append(",\"extension\":[{\"url\":\"http://example.org/x").append(i).append('"');
        }
        return json.append(",\"valueString\":\"end\"").append("}]".repeat(levels)).append('}').toString();
    }

    /** The body size limit the server under test was started with (BASTION_FHIR_MAX_BODY_BYTES). */
    int bodyLimit() {
        return 16 * 1024 * 1024;
    }
}
