package org.bastion.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.bastion.it.Browser.form;
import static org.bastion.it.Browser.json;
import static org.bastion.it.Browser.location;
import static org.bastion.it.Browser.queryParam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trust model of docs/security.md, tried as an attacker would, each door next to the honest
 * path that must still work: self-registered clients, JWT assertions, the admin API, the patient
 * picker, patient/ and user/ reach, account lifecycle, old versions, search oracles, launch
 * handles, introspection, 5xx and external issuer discovery.
 */
abstract class SecurityContract extends OAuthClientSupport {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String PASSWORD = "correct horse battery";
    private final Browser browser = new Browser();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    String system() {
        return Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
    }

    String patientToken(String scope, String patient) {
        return Tokens.sign(Tokens.claims(baseUrl()).claim("scope", scope).claim("patient", patient).build(), TestSigningKey.get());
    }

    HttpResponse<String> fhir(String token, String method, String path, String body) {
        return browser.fhir(fhirBase(), token, method, path, body);
    }

    void put(String path, String body) {
        HttpResponse<String> response = fhir(system(), "PUT", path, body);
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
    }

    HttpResponse<String> admin(String method, String path, String body) {
        return browser.json(method, baseUrl() + "/admin/api" + path, body, "Authorization", "Bearer " + adminToken());
    }

    String patient(String id, String family) {
        put("/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"" + family + "\",\"given\":[\"Ann\"]}]}");
        return id;
    }

    String observation(String id, String subject, String code, String extra) {
        put("/Observation/" + id, "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"urn:it\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":\"Patient/" + subject + "\"}" + extra + "}");
        return id;
    }

    /** Through the pages, as a user, for a public app: the token response. */
    JSONObject tokensOf(String clientId, String scope, String username, String password) {
        Pkce pkce = new Pkce();
        String code = signInAndConsent(new Browser(), clientId, pkce, scope, List.of(scope.split(" ")), username, password);
        HttpResponse<String> tokens = exchange(browser, clientId, code, pkce.verifier);
        assertEquals(200, tokens.statusCode(), tokens.body());
        return json(tokens);
    }

    // --- 1, 4: self-registered clients get the registration policy, nothing more --------------

    @Test
    void aSelfRegisteredClientCannotMintAnAdminTokenNorSystemScopes() throws JOSEException {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        JSONObject registered = register(browser, "{\"client_name\":\"Admin tools\",\"grant_types\":[\"" + JWT_BEARER
                + "\",\"client_credentials\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"scope\":\"system/*.cruds user/*.cruds admin\","
                + "\"jwks\":{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}}");
        String clientId = (String) registered.get("client_id");
        String asAdmin = assertion(key, clientId, "admin", issuer() + "/token", UUID.randomUUID().toString());
        assertError(browser.postForm(issuer() + "/token", form("grant_type", JWT_BEARER, "assertion", asAdmin, "scope", "user/*.cruds")),
                400, "unauthorized_client", "registered itself");
        assertError(browser.postForm(issuer() + "/token", clientAssertion(assertion(key, clientId, clientId, issuer() + "/token",
                UUID.randomUUID().toString()), "grant_type", "client_credentials")), 400, "unauthorized_client", "needs an admin's approval");

        // an admin approves the grant types but not the scopes: system/ and admin stay out of reach, and sub=admin too
        trust(clientId, "{\"approved_grant_types\":[\"client_credentials\",\"" + JWT_BEARER + "\"]}");
        assertError(browser.postForm(issuer() + "/token", clientAssertion(assertion(key, clientId, clientId, issuer() + "/token",
                UUID.randomUUID().toString()), "grant_type", "client_credentials", "scope", "system/*.cruds")), 400, "invalid_scope", "admin's approval");
        assertError(browser.postForm(issuer() + "/token", clientAssertion(assertion(key, clientId, clientId, issuer() + "/token",
                UUID.randomUUID().toString()), "grant_type", "client_credentials")), 400, "invalid_scope", "no registered scope it may have");
        String again = assertion(key, clientId, "admin", issuer() + "/token", UUID.randomUUID().toString());
        assertError(browser.postForm(issuer() + "/token", form("grant_type", JWT_BEARER, "assertion", again, "scope", "user/*.cruds admin")),
                400, "invalid_grant", "no admin allowed this client to act for that user");

        // the honest path: what the admin approved works
        trust(clientId, "{\"approved_scope\":\"system/Patient.rs\"}");
        HttpResponse<String> approved = browser.postForm(issuer() + "/token", clientAssertion(assertion(key, clientId, clientId,
                issuer() + "/token", UUID.randomUUID().toString()), "grant_type", "client_credentials", "scope", "system/Patient.rs"));
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("system/Patient.rs", json(approved).get("scope"));
    }

    @Test
    void aRegistrationWithoutScopeGetsNoSystemScopesAndAnAdminsClientWithoutScopeGetsAClearError() {
        JSONObject registered = register(browser, "{\"client_name\":\"no scope\",\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        Registered open = new Registered((String) registered.get("client_id"), (String) registered.get("client_secret"), null);
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", open.basic()),
                400, "unauthorized_client", "needs an admin's approval");
        HttpResponse<String> created = admin("POST", "/clients", "{\"client_name\":\"no scope " + run + "\",\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        assertEquals(201, created.statusCode(), created.body());
        Registered byAdmin = new Registered((String) json(created).get("client_id"), (String) json(created).get("client_secret"), null);
        HttpResponse<String> noScope = browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", byAdmin.basic());
        assertError(noScope, 400, "invalid_scope", "No scope was requested");
        assertTrue(noScope.headers().firstValue("Content-Type").orElse("").contains("json"), "RFC 6749 JSON, never an error page");
        assertEquals(200, browser.postForm(issuer() + "/token", form("grant_type", "client_credentials", "scope", "system/Patient.rs"),
                "Authorization", byAdmin.basic()).statusCode(), "an admin's client asks for what it needs");
    }

    // --- 3: the admin API takes the console's admin scope only -----------------------------

    @Test
    void anAdminSigningInToAnAppGivesThatAppNoAdminPower() {
        String app = (String) register(browser, publicApp()).get("client_id");
        String appToken = (String) tokensOf(app, "openid", "admin", adminPassword()).get("access_token");
        HttpResponse<String> refused = browser.get(baseUrl() + "/admin/api/users", "Authorization", "Bearer " + appToken);
        assertEquals(403, refused.statusCode(), refused.body());
        assertEquals("insufficient_scope", json(refused).get("error"));
        assertTrue(((String) json(refused).get("error_description")).contains(app), refused.body());
        String asked = location(browser.get(authorizeUrl(app, new Pkce(), "openid admin", "s", "")));
        assertEquals("invalid_scope", queryParam(asked, "error"), "a self-registered app cannot even ask for admin: " + asked);
        assertEquals(200, admin("GET", "/users", null).statusCode(), "the console's admin token works");
    }

    // --- the calls that grant power refuse bad input and anyone but an admin ---------------------

    @Test
    void theTrustAndReachCallsNameTheBadFieldAndTakeOnlyAnAdmin() {
        Registered client = selfRegisteredConfidential(browser, "client_credentials", "system/Patient.rs");
        String trust = "/clients/" + client.id() + "/trust";
        for (String[] bad : List.of(new String[] {"{\"approved_grant_types\":[\"implicit\"]}", "approved_grant_types"},
                new String[] {"{\"approved_grant_types\":\"client_credentials\"}", "approved_grant_types"},
                new String[] {"{\"approved_scope\":\"system/*.rs \\\"x\"}", "approved_scope"},
                new String[] {"{\"jwt_bearer_subjects\":[\"a b\"]}", "jwt_bearer_subjects"},
                new String[] {"{\"resource_server\":\"yes\"}", "resource_server"},
                new String[] {"{\"approved_scope\":\"" + "x".repeat(70_000) + "\"}", "body"})) {
            HttpResponse<String> refused = admin("PUT", trust, bad[0]);
            assertEquals(400, refused.statusCode(), bad[0].length() > 200 ? bad[1] : bad[0] + " " + refused.body());
            assertEquals(bad[1], json(refused).get("field"), refused.body());
        }
        assertEquals(404, admin("PUT", "/clients/no-such-client/trust", "{\"resource_server\":true}").statusCode());
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", client.basic()),
                400, "unauthorized_client", "registered itself");

        String user = createUserWithId(adminToken(), "sec-bad-" + run, "");
        HttpResponse<String> badPatient = admin("PUT", "/users/" + user, "{\"patients\":[\"../etc\"]}");
        assertEquals(400, badPatient.statusCode());
        assertEquals("patients", json(badPatient).get("field"));
        HttpResponse<String> badIat = admin("POST", "/initial-access-tokens", "{\"approved_grant_types\":[\"password\"]}");
        assertEquals(400, badIat.statusCode());
        assertEquals("approved_grant_types", json(badIat).get("field"));

        // a user's token, even with a stolen client's approval at stake, cannot decide anything
        String userToken = userToken("sec-bad-" + run, PASSWORD);
        HttpResponse<String> notAdmin = browser.json("PUT", baseUrl() + "/admin/api" + trust, "{\"approved_grant_types\":[\"client_credentials\"]}",
                "Authorization", "Bearer " + userToken);
        assertEquals(403, notAdmin.statusCode());
        assertEquals("insufficient_role", json(notAdmin).get("error"));
        HttpResponse<String> noToken = browser.json("DELETE", baseUrl() + "/admin/api/users/" + user, null);
        assertEquals(401, noToken.statusCode());
        assertEquals(200, admin("GET", "/users/" + user, null).statusCode(), "nothing was deleted");
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", client.basic()),
                400, "unauthorized_client", "registered itself");
    }

    // --- 2: the standalone picker offers only the user's reach ------------------------------

    @Test
    void thePatientPickerOffersAndAcceptsOnlyWhatTheUserReaches() {
        String a = patient("sec-a-" + run, "Alpha" + run);
        String b = patient("sec-b-" + run, "Bravo" + run);
        String aObs = observation(a + "-obs", a, "x1", "");
        observation(b + "-obs", b, "x1", "");
        String username = "sec-patient-" + run;
        createUserWithId(adminToken(), username, ",\"fhirUser\":\"Patient/" + a + "\"");
        String app = (String) register(browser, publicApp()).get("client_id");
        Browser user = new Browser();
        Pkce pkce = new Pkce();
        HttpResponse<String> consent = signIn(user, app, pkce, "openid launch/patient patient/*.rs", "", username, PASSWORD);
        String request = Browser.hiddenFields(consent.body()).get("request").get(0);
        HttpResponse<String> searched = user.get(issuer() + "/consent?request=" + enc(request) + "&patient_q=" + enc("Bravo" + run));
        assertFalse(searched.body().contains(b), "another patient is never offered: " + searched.body());
        assertTrue(user.get(issuer() + "/consent?request=" + enc(request) + "&patient_q=" + enc("Alpha" + run)).body().contains(a));
        Map<String, List<String>> form = Browser.hiddenFields(consent.body());
        form.put("decision", List.of("approve"));
        form.put("scope", List.of("openid", "launch/patient", "patient/*.rs"));
        form.put("patient", List.of(b));
        assertEquals(400, user.postForm(issuer() + "/consent", form).statusCode(), "choosing a patient outside the reach is refused");
        form.put("patient", List.of(a));
        JSONObject tokens = json(exchange(user, app, code(user.postForm(issuer() + "/consent", form)), pkce.verifier));
        assertEquals(a, tokens.get("patient"));
        String token = (String) tokens.get("access_token");
        assertEquals(200, fhir(token, "GET", "/Observation/" + aObs, null).statusCode());
        assertEquals(404, fhir(token, "GET", "/Observation/" + b + "-obs", null).statusCode());
    }

    // --- 5: types outside the Patient compartment ---------------------------------------------

    @Test
    void patientScopesConfineTypesOutsideTheCompartmentByTheirReferences() {
        String a = patient("sec5-a-" + run, "A");
        String b = patient("sec5-b-" + run, "B");
        put("/Task/" + a + "-task", "{\"resourceType\":\"Task\",\"id\":\"" + a + "-task\",\"status\":\"requested\",\"intent\":\"order\",\"for\":{\"reference\":\"Patient/" + a + "\"}}");
        put("/Task/" + b + "-task", "{\"resourceType\":\"Task\",\"id\":\"" + b + "-task\",\"status\":\"requested\",\"intent\":\"order\",\"for\":{\"reference\":\"Patient/" + b + "\"}}");
        put("/Binary/" + b + "-bin", "{\"resourceType\":\"Binary\",\"id\":\"" + b + "-bin\",\"contentType\":\"text/plain\",\"data\":\"aGk=\"}");
        String token = patientToken("patient/*.cruds", a);
        assertEquals(200, fhir(token, "GET", "/Task/" + a + "-task", null).statusCode(), "the patient reads their own Task");
        assertEquals(404, fhir(token, "GET", "/Task/" + b + "-task", null).statusCode());
        HttpResponse<String> takeOver = fhir(token, "PUT", "/Task/" + b + "-task", "{\"resourceType\":\"Task\",\"id\":\"" + b
                + "-task\",\"status\":\"cancelled\",\"intent\":\"order\",\"for\":{\"reference\":\"Patient/" + a + "\"}}");
        assertEquals(403, takeOver.statusCode(), takeOver.body());
        assertEquals(404, fhir(token, "GET", "/Binary/" + b + "-bin", null).statusCode(), "a Binary names no patient: out of reach");
        HttpResponse<String> tasks = fhir(token, "GET", "/Task?_id=" + a + "-task," + b + "-task", null);
        assertTrue(tasks.body().contains("\"id\":\"" + a + "-task\"") && !tasks.body().contains("\"id\":\"" + b + "-task\""), tasks.body());
    }

    // --- 6: user/ scopes fail closed ------------------------------------------------------------

    @Test
    void userScopesReachNothingForUsersTheServerCannotPlace() {
        String a = patient("sec6-a-" + run, "A");
        String b = patient("sec6-b-" + run, "B");
        put("/RelatedPerson/" + a + "-mother", "{\"resourceType\":\"RelatedPerson\",\"id\":\"" + a + "-mother\",\"patient\":{\"reference\":\"Patient/" + a + "\"}}");
        String related = createUserWithId(adminToken(), "sec-rp-" + run, ",\"fhirUser\":\"RelatedPerson/" + a + "-mother\"");
        String doctor = createUserWithId(adminToken(), "sec-dr-" + run, ",\"fhirUser\":\"Practitioner/dr-" + run + "\"");
        String nobody = createUserWithId(adminToken(), "sec-none-" + run, "");
        String relatedToken = userToken(related);
        HttpResponse<String> both = fhir(relatedToken, "GET", "/Patient?_id=" + a + "," + b, null);
        assertTrue(both.body().contains(a) && !both.body().contains("\"" + b + "\""), "a RelatedPerson reaches the linked patient only: " + both.body());
        for (String user : List.of(doctor, nobody)) {
            HttpResponse<String> refused = fhir(userToken(user), "GET", "/Patient?_id=" + a + "," + b, null);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("reaches no patient"), refused.body());
        }
        HttpResponse<String> granted = admin("PUT", "/users/" + doctor, "{\"patients\":[\"" + b + "\"]}");
        assertEquals(200, granted.statusCode(), granted.body());
        assertEquals("listed-patients", json(granted).get("reach"));
        HttpResponse<String> afterGrant = fhir(userToken(doctor), "GET", "/Patient?_id=" + a + "," + b, null);
        assertTrue(afterGrant.body().contains("\"" + b + "\"") && !afterGrant.body().contains("\"" + a + "\""), afterGrant.body());
    }

    /** A token of an admin-created client for a user, with user/*.rs. */
    String userToken(String userId) {
        return Tokens.sign(Tokens.claims(baseUrl()).subject(userId).claim("scope", "user/*.rs").build(),
                TestSigningKey.get());
    }

    // --- 7: disabling a user ends everything ----------------------------------------------------

    @Test
    void disablingAUserEndsTheirTokensRefreshTokensAndSession() {
        String a = patient("sec7-a-" + run, "A");
        String username = "sec-disabled-" + run;
        String id = createUserWithId(adminToken(), username, ",\"fhirUser\":\"Patient/" + a + "\"");
        String app = (String) register(browser, publicApp()).get("client_id");
        Browser user = new Browser();
        Pkce pkce = new Pkce();
        String code = signInAndConsent(user, app, pkce, "openid offline_access user/*.rs", List.of("openid", "offline_access", "user/*.rs"), username, PASSWORD);
        JSONObject tokens = json(exchange(user, app, code, pkce.verifier));
        String access = (String) tokens.get("access_token");
        assertEquals(200, fhir(access, "GET", "/Patient/" + a, null).statusCode(), "before: the user reads their record");
        assertEquals(200, admin("PUT", "/users/" + id, "{\"enabled\":false}").statusCode());
        HttpResponse<String> after = fhir(access, "GET", "/Patient/" + a, null);
        assertEquals(401, after.statusCode(), after.body());
        assertError(refresh(user, app, (String) tokens.get("refresh_token"), null), 400, "invalid_grant", "");
        String again = location(user.get(authorizeUrl(app, new Pkce(), "openid", "s", "&prompt=none")));
        assertEquals("login_required", queryParam(again, "error"), "the sign-in session ended too: " + again);
        assertEquals(204, admin("DELETE", "/users/" + id, null).statusCode());
        assertEquals(404, admin("GET", "/users/" + id, null).statusCode(), "deleted users are gone");
    }

    // --- 8: each version is judged on its own content -----------------------------------------

    @Test
    void anOldVersionOfAnotherPatientStaysTheirs() {
        String a = patient("sec8-a-" + run, "A");
        String b = patient("sec8-b-" + run, "B");
        String obs = observation("sec8-obs-" + run, b, "v", "");
        observation(obs, a, "v", "");
        String tokenA = patientToken("patient/*.rs", a);
        assertEquals(200, fhir(tokenA, "GET", "/Observation/" + obs + "/_history/2", null).statusCode(), "A's version");
        assertEquals(404, fhir(tokenA, "GET", "/Observation/" + obs + "/_history/1", null).statusCode(), "B's version stays B's");
        HttpResponse<String> history = fhir(tokenA, "GET", "/Observation/" + obs + "/_history", null);
        assertTrue(history.body().contains("\"versionId\":\"2\"") && !history.body().contains("\"versionId\":\"1\""), history.body());
        assertEquals(200, fhir(patientToken("patient/*.rs", b), "GET", "/Observation/" + obs + "/_history/1", null).statusCode(),
                "B still reads what was theirs");
    }

    // --- 9: search is no oracle -------------------------------------------------------------------

    @Test
    void chainsAndHasLookOnlyIntoWhatTheTokenReaches() {
        String a = patient("sec9-a-" + run, "Alpha" + run);
        String b = patient("sec9-b-" + run, "Bravo" + run);
        observation("sec9-a-obs-" + run, a, "a-code", ",\"performer\":[{\"reference\":\"Patient/" + b + "\"}]");
        observation("sec9-b-obs-" + run, b, "secret-" + run, ",\"focus\":[{\"reference\":\"Patient/" + a + "\"}]");
        String token = patientToken("patient/*.rs", a);
        HttpResponse<String> honest = fhir(token, "GET", "/Observation?subject:Patient.family=Alpha" + run, null);
        assertTrue(honest.body().contains("sec9-a-obs-" + run), "a chain within reach works: " + honest.body());
        HttpResponse<String> probe = fhir(token, "GET", "/Observation?performer:Patient.family=Bravo" + run, null);
        assertFalse(probe.body().contains("sec9-a-obs-" + run), "a chain into another patient answers nothing: " + probe.body());
        HttpResponse<String> has = fhir(token, "GET", "/Patient?_has:Observation:focus:code=secret-" + run, null);
        assertFalse(has.body().contains("\"" + a + "\""), "_has does not look at another patient's observations: " + has.body());
        HttpResponse<String> unscoped = fhir(patientToken("patient/Patient.rs", a), "GET", "/Patient?_has:Observation:subject:code=a-code", null);
        assertEquals(403, unscoped.statusCode(), "_has into a type the token may not search names the scope: " + unscoped.body());
        assertTrue(unscoped.body().contains("patient/Observation.s"), unscoped.body());
    }

    // --- 10: launch handles are bound ---------------------------------------------------------------

    @Test
    void aLaunchHandleIsForItsClientAndUserOnly() {
        String a = patient("sec10-a-" + run, "A");
        String app = (String) register(browser, publicApp()).get("client_id");
        String other = (String) register(browser, publicApp()).get("client_id");
        String otherUser = "sec-launch-" + run;
        createUserWithId(adminToken(), otherUser, ",\"all_patients\":true");
        HttpResponse<String> created = admin("POST", "/launches", "{\"patient\":\"" + a + "\",\"client_id\":\"" + app + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        String launch = (String) json(created).get("launch");
        String stolen = location(browser.get(authorizeUrl(other, new Pkce(), "launch openid", "s", "&launch=" + enc(launch))));
        assertEquals("invalid_request", queryParam(stolen, "error"), "another client cannot use the handle: " + stolen);
        Browser stranger = new Browser();
        Pkce pkce = new Pkce();
        HttpResponse<String> consent = signIn(stranger, app, pkce, "launch openid patient/*.rs", "&launch=" + enc(launch), otherUser, PASSWORD);
        Map<String, List<String>> form = Browser.hiddenFields(consent.body());
        form.put("decision", List.of("approve"));
        form.put("scope", List.of("launch", "openid", "patient/*.rs"));
        String refused = location(stranger.postForm(issuer() + "/consent", form));
        assertEquals("invalid_request", queryParam(refused, "error"), "another user cannot use the handle: " + refused);
        HttpResponse<String> noClient = admin("POST", "/launches", "{\"patient\":\"" + a + "\"}");
        assertEquals(400, noClient.statusCode());
        assertEquals("client_id", json(noClient).get("field"));
    }

    // --- 11: introspection answers the owner and resource servers -------------------------------

    @Test
    void introspectionAnswersOnlyTheTokensClientOrAResourceServer() {
        Registered owner = confidential(browser, "client_credentials", "system/Patient.rs");
        Registered nosy = confidential(browser, "client_credentials", "system/Patient.rs");
        Registered resourceServer = resourceServer(browser);
        String token = (String) json(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials", "scope", "system/Patient.rs"),
                "Authorization", owner.basic())).get("access_token");
        JSONObject answer = introspect(browser, nosy, token);
        assertEquals(false, answer.get("active"));
        assertEquals(1, answer.size(), "nothing else is told: " + answer);
        assertEquals(true, introspect(browser, owner, token).get("active"));
        assertEquals(true, introspect(browser, resourceServer, token).get("active"));
    }

    // --- 12: no 5xx from /oauth2 -------------------------------------------------------------------------

    @Test
    void oversizedRegistrationFieldsAreNamedNeverA500() {
        HttpResponse<String> huge = postRegistration(browser, publicApp().replace("IT SMART App", "x".repeat(60_000)));
        assertError(huge, 400, "invalid_client_metadata", "client_name");
        HttpResponse<String> manyUris = postRegistration(browser, publicApp().replace("\"redirect_uris\":[\"" + CALLBACK + "\"]",
                "\"redirect_uris\":[\"" + CALLBACK + "\"" + java.util.stream.IntStream.range(0, 60).mapToObj(i -> ",\"" + CALLBACK + "/x" + i + "\"").reduce("", String::concat) + "]"));
        assertError(manyUris, 400, "invalid_client_metadata", "redirect_uris");
        assertEquals(201, postRegistration(browser, publicApp()).statusCode(), "an ordinary registration still works");
    }

    // --- 13: an external issuer's discovery must be its own ------------------------------------------

    @Test
    void aDiscoveryDocumentCannotClaimAnotherIssuer() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = server.getAddress().getPort();
        String own = "http://127.0.0.1:" + port;
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body = path.endsWith("/jwks") ? "{\"keys\":[]}"
                    : "{\"issuer\":\"" + (path.startsWith("/evil") ? "https://idp.example.org/oauth2/default" : own + "/honest")
                    + "\",\"jwks_uri\":\"" + own + "/jwks\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        allowOutbound(baseUrl(), own, true);
        try {
            HttpResponse<String> claimed = admin("POST", "/issuers", "{\"discovery_url\":\"" + own + "/evil/.well-known/openid-configuration\"}");
            assertEquals(400, claimed.statusCode(), claimed.body());
            assertEquals("discovery_url", json(claimed).get("field"));
            assertTrue(claimed.body().contains("its own issuer"), claimed.body());
            HttpResponse<String> honest = admin("POST", "/issuers", "{\"discovery_url\":\"" + own + "/honest/.well-known/openid-configuration\"}");
            assertTrue(honest.statusCode() == 201 || honest.statusCode() == 200, honest.body());
            admin("DELETE", "/issuers?issuer=" + enc(own + "/honest"), null);
        } finally {
            allowOutbound(baseUrl(), own, false);
            server.stop(0);
        }
    }
}
