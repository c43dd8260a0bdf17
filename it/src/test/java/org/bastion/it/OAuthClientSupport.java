package org.bastion.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.bastion.it.Browser.form;
import static org.bastion.it.Browser.json;
import static org.bastion.it.Browser.location;
import static org.bastion.it.Browser.queryParam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the authorization server's tests share: the server's URLs, registering clients, signing
 * users in through the pages (PKCE), tokens, and admin access.
 */
abstract class OAuthClientSupport {

    static final String CALLBACK = "http://localhost:9999/callback";
    static final String LOGGED_OUT = "http://localhost:9999/logged-out";
    static final String APP_ORIGIN = "http://localhost:9999";

    abstract String baseUrl();

    String issuer() {
        return baseUrl() + "/oauth2";
    }

    String fhirBase() {
        return baseUrl() + "/fhir/r4";
    }

    static String adminPassword() {
        return System.getenv("BASTION_ADMIN_PASSWORD");
    }

    // --- helpers ---------------------------------------------------------------------------

    record Registered(String id, String secret, String registrationToken) {
        String basic() {
            return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
        }
    }

    static final class Pkce {
        final String verifier = new CodeVerifier().getValue();
        final String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue();
    }

    static String publicApp() {
        return "{\"client_name\":\"IT SMART App\",\"redirect_uris\":[\"" + CALLBACK + "\"],\"post_logout_redirect_uris\":[\"" + LOGGED_OUT
                + "\"],\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
                + "\"bastion_cors_origins\":[\"" + APP_ORIGIN + "\"]}";
    }

    HttpResponse<String> postRegistration(Browser browser, String metadata) {
        return registrationOpen() ? browser.postJson(issuer() + "/register", metadata)
                : browser.postJson(issuer() + "/register", metadata, "Authorization", "Bearer " + initialAccessToken());
    }

    JSONObject register(Browser browser, String metadata) {
        HttpResponse<String> response = postRegistration(browser, metadata);
        assertEquals(201, response.statusCode(), response.body());
        return json(response);
    }

    /** A confidential client that registered itself, then approved by an admin for what it registered. */
    Registered confidential(Browser browser, String grantTypes, String scope) {
        Registered client = selfRegisteredConfidential(browser, grantTypes, scope);
        trust(client.id(), "{\"approved_grant_types\":[\"" + grantTypes + "\"],\"approved_scope\":\"" + scope + "\"}");
        return client;
    }

    /** A confidential client that registered itself, as any app may: untrusted until an admin approves more. */
    Registered selfRegisteredConfidential(Browser browser, String grantTypes, String scope) {
        JSONObject registered = register(browser, "{\"client_name\":\"IT service\",\"grant_types\":[\"" + grantTypes
                + "\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"" + scope + "\"}");
        return new Registered((String) registered.get("client_id"), (String) registered.get("client_secret"),
                (String) registered.get("registration_access_token"));
    }

    /** A client an admin made a resource server: it may introspect other clients' tokens. */
    Registered resourceServer(Browser browser) {
        Registered client = confidential(browser, "client_credentials", "system/*.rs");
        trust(client.id(), "{\"resource_server\":true}");
        return client;
    }

    /** An admin's decision about a client (PUT /admin/api/clients/{id}/trust). */
    void trust(String clientId, String decision) {
        HttpResponse<String> trusted = new Browser().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl()
                        + "/admin/api/clients/" + clientId + "/trust")).header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(decision)).build());
        assertEquals(200, trusted.statusCode(), trusted.body());
    }

    /** A private_key_jwt client that registered itself, approved by an admin for the grant type and system/*.rs user/*.rs. */
    Registered keyClient(Browser browser, ECKey key, String grantType) {
        JSONObject registered = register(browser, "{\"client_name\":\"IT backend\",\"grant_types\":[\"" + grantType
                + "\"],\"token_endpoint_auth_method\":\"private_key_jwt\",\"scope\":\"system/*.rs user/*.rs\",\"jwks\":{\"keys\":["
                + key.toPublicJWK().toJSONString() + "]}}");
        String id = (String) registered.get("client_id");
        trust(id, "{\"approved_grant_types\":[\"" + grantType + "\"],\"approved_scope\":\"system/*.rs\"}");
        return new Registered(id, null, null);
    }

    static boolean registrationOpen() {
        return "open".equals(System.getenv("BASTION_REGISTRATION"));
    }

    private static final Map<String, String> INITIAL_ACCESS_TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /** With registration closed, the tests register clients with an initial access token the admin issues. */
    String initialAccessToken() {
        return INITIAL_ACCESS_TOKENS.computeIfAbsent(baseUrl(), base -> {
            HttpResponse<String> issued = new Browser().postJson(base + "/admin/api/initial-access-tokens",
                    "{\"uses\":1000,\"expires_in\":3600}", "Authorization", "Bearer " + adminToken());
            assertEquals(201, issued.statusCode(), issued.body());
            return (String) json(issued).get("token");
        });
    }

    /** An access token of the bootstrap admin, through the code flow of the console's built-in client. */
    String adminToken() {
        return adminToken(baseUrl());
    }

    private static final Map<String, String> ADMIN_TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The bootstrap admin's token for a server: reused while the admin API still takes it (a key
     * retired or a server restarted by another test ends it), else a new one.
     */
    static String adminToken(String baseUrl) {
        String cached = ADMIN_TOKENS.get(baseUrl);
        if (cached != null && new Browser().get(baseUrl + "/admin/api/settings", "Authorization", "Bearer " + cached).statusCode() == 200) {
            return cached;
        }
        String fresh = userToken(baseUrl, "admin", adminPassword());
        ADMIN_TOKENS.put(baseUrl, fresh);
        return fresh;
    }

    String userToken(String username, String password) {
        return userToken(baseUrl(), username, password);
    }

    /** A user's token of the console's client, with the admin scope (which only an admin's token may use). */
    static String userToken(String baseUrl, String username, String password) {
        Browser browser = new Browser();
        String issuer = baseUrl + "/oauth2";
        String console = baseUrl + "/admin/";
        Pkce pkce = new Pkce();
        String loginUrl = location(browser.get(issuer + "/authorize?response_type=code&client_id=bastion-console&redirect_uri="
                + enc(console) + "&scope=" + enc("openid admin") + "&state=c&code_challenge=" + pkce.challenge + "&code_challenge_method=S256"));
        HttpResponse<String> login = browser.get(loginUrl);
        Map<String, List<String>> form = Browser.hiddenFields(login.body());
        form.put("username", List.of(username));
        form.put("password", List.of(password));
        String next = location(browser.postForm(issuer + "/login", form));
        if (next.startsWith(issuer + "/consent")) {
            Map<String, List<String>> consent = Browser.hiddenFields(browser.get(next).body());
            consent.put("decision", List.of("approve"));
            consent.put("scope", List.of("openid", "admin"));
            next = location(browser.postForm(issuer + "/consent", consent));
        }
        assertTrue(next.startsWith(console + "?"), next);
        HttpResponse<String> tokens = browser.postForm(issuer + "/token", form("grant_type", "authorization_code",
                "code", queryParam(next, "code"), "redirect_uri", console, "client_id", "bastion-console", "code_verifier", pkce.verifier));
        assertEquals(200, tokens.statusCode(), tokens.body());
        return (String) json(tokens).get("access_token");
    }

    /** The id of an admin-created confidential client with system/*.* (a backend service), made once per server. */
    static String systemClient(String baseUrl) {
        return SYSTEM_CLIENTS.computeIfAbsent(baseUrl, base -> {
            HttpResponse<String> created = new Browser().postJson(base + "/admin/api/clients", "{\"client_name\":\"IT system\","
                    + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.* patient/*.* user/*.*\"}",
                    "Authorization", "Bearer " + adminToken(base));
            assertEquals(201, created.statusCode(), created.body());
            return (String) json(created).get("client_id");
        });
    }

    private static final Map<String, String> SYSTEM_CLIENTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Creates a user (admin API): their id. */
    String createUserWithId(String adminToken, String username, String body) {
        HttpResponse<String> created = new Browser().postJson(baseUrl() + "/admin/api/users", "{\"username\":\"" + username
                + "\",\"password\":\"correct horse battery\"" + body + "}", "Authorization", "Bearer " + adminToken);
        assertEquals(201, created.statusCode(), created.body());
        return (String) json(created).get("id");
    }

    void createUser(String adminToken, String username, String fhirUser, String roles) {
        HttpResponse<String> created = new Browser().postJson(baseUrl() + "/admin/api/users", "{\"username\":\"" + username
                        + "\",\"password\":\"correct horse battery\",\"roles\":" + roles
                        + (fhirUser == null ? "" : ",\"fhirUser\":\"" + fhirUser + "\"") + "}",
                "Authorization", "Bearer " + adminToken);
        assertEquals(201, created.statusCode(), created.body());
    }

    String authorizeUrl(String clientId, Pkce pkce, String scope, String state, String extra) {
        return issuer() + "/authorize?response_type=code&client_id=" + enc(clientId) + "&redirect_uri=" + enc(CALLBACK)
                + "&scope=" + enc(scope) + "&state=" + enc(state) + "&nonce=n-0S6_WzA2Mj&code_challenge=" + pkce.challenge
                + "&code_challenge_method=S256&aud=" + enc(fhirBase()) + extra;
    }

    /** Authorize, then sign in as the bootstrap admin: the consent page. */
    HttpResponse<String> signIn(Browser browser, String clientId, Pkce pkce, String scope, String extra) {
        return signIn(browser, clientId, pkce, scope, extra, "admin", adminPassword());
    }

    HttpResponse<String> signIn(Browser browser, String clientId, Pkce pkce, String scope, String extra, String username, String password) {
        String loginUrl = location(browser.get(authorizeUrl(clientId, pkce, scope, "xyz", extra)));
        assertTrue(loginUrl.startsWith(issuer() + "/login?request="), loginUrl);
        HttpResponse<String> login = browser.get(loginUrl);
        assertEquals(200, login.statusCode(), login.body());
        Map<String, List<String>> form = Browser.hiddenFields(login.body());
        form.put("username", List.of(username));
        form.put("password", List.of(password));
        String consentUrl = location(browser.postForm(issuer() + "/login", form));
        assertTrue(consentUrl.startsWith(issuer() + "/consent?request="), consentUrl);
        HttpResponse<String> consent = browser.get(consentUrl);
        assertEquals(200, consent.statusCode(), consent.body());
        return consent;
    }

    /** The whole page flow, ticking only the given scopes: the code from the callback. */
    String signInAndConsent(Browser browser, String clientId, Pkce pkce, String scope, List<String> ticked) {
        return signInAndConsent(browser, clientId, pkce, scope, ticked, "admin", adminPassword());
    }

    String signInAndConsent(Browser browser, String clientId, Pkce pkce, String scope, List<String> ticked, String username, String password) {
        HttpResponse<String> consent = signIn(browser, clientId, pkce, scope, "", username, password);
        for (String s : scope.split(" ")) {
            assertTrue(consent.body().contains("value=\"" + s + "\""), "consent lists " + s);
        }
        Map<String, List<String>> form = Browser.hiddenFields(consent.body());
        form.put("decision", List.of("approve"));
        form.put("scope", ticked);
        HttpResponse<String> callback = browser.postForm(issuer() + "/consent", form);
        assertEquals("xyz", queryParam(location(callback), "state"));
        return code(callback);
    }

    static String code(HttpResponse<String> callback) {
        String url = location(callback);
        assertTrue(url.startsWith(CALLBACK + "?"), url);
        String code = queryParam(url, "code");
        assertNotNull(code, url);
        return code;
    }

    HttpResponse<String> exchange(Browser browser, String clientId, String code, String verifier) {
        return browser.postForm(issuer() + "/token", form("grant_type", "authorization_code", "code", code,
                "redirect_uri", CALLBACK, "client_id", clientId, "code_verifier", verifier));
    }

    HttpResponse<String> refresh(Browser browser, String clientId, String refreshToken, String scope) {
        Map<String, List<String>> form = form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId);
        if (scope != null) {
            form.put("scope", List.of(scope));
        }
        return browser.postForm(issuer() + "/token", form);
    }

    JSONObject introspect(Browser browser, Registered caller, String token) {
        HttpResponse<String> response = browser.postForm(issuer() + "/introspect", form("token", token), "Authorization", caller.basic());
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }

    static Map<String, List<String>> clientAssertion(String assertion, String... pairs) {
        Map<String, List<String>> form = form(pairs);
        form.put("client_assertion_type", List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"));
        form.put("client_assertion", List.of(assertion));
        return form;
    }

    static JWTClaimsSet claims(String issuer, String subject, String audience, String jti) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience).jwtID(jti)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120))).build();
    }

    static String assertion(ECKey key, String issuer, String subject, String audience, String jti) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                claims(issuer, subject, audience, jti));
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    static void assertError(HttpResponse<String> response, int status, String error, String inDescription) {
        assertEquals(status, response.statusCode(), response.body());
        JSONObject body = json(response);
        assertEquals(error, body.get("error"), response.body());
        String description = String.valueOf(body.get("error_description"));
        assertTrue(description.contains(inDescription), "error_description should contain '" + inDescription + "': " + description);
    }

    /**
     * Lets the server fetch from an origin that is not public https (a test listener on loopback):
     * the admin's outbound_allowed_origins setting, this origin added to what is there.
     */
    static void allowOutbound(String baseUrl, String origin, boolean allowed) {
        Browser browser = new Browser();
        String settings = baseUrl + "/admin/api/settings";
        JSONObject current = json(browser.get(settings, "Authorization", "Bearer " + adminToken(baseUrl)));
        String value = String.valueOf(((Map<?, ?>) current.get("outbound_allowed_origins")).get("value"));
        java.util.Set<String> origins = new java.util.LinkedHashSet<>(java.util.Arrays.stream(value.split(","))
                .map(String::trim).filter(o -> !o.isEmpty()).toList());
        if (allowed) {
            origins.add(origin);
        } else {
            origins.remove(origin);
        }
        HttpResponse<String> changed = browser.json("PUT", settings, "{\"outbound_allowed_origins\":\"" + String.join(",", origins) + "\"}",
                "Authorization", "Bearer " + adminToken(baseUrl));
        assertEquals(200, changed.statusCode(), changed.body());
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
