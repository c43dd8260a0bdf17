package org.bastion.it;

import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin REST API through HTTP: clients, users, consents and tokens, keys, initial access
 * tokens, scopes and settings, each change audited, each bad input a 400 naming the field.
 */
abstract class AdminApiContract extends OAuthClientSupport {

    private final Browser browser = new Browser();

    HttpResponse<String> admin(String method, String path, String json) {
        return browser.json(method, baseUrl() + "/admin/api" + path, json, "Authorization", "Bearer " + adminToken());
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    int clientCredentials(String id, String secret) {
        return browser.postForm(issuer() + "/token", Browser.form("grant_type", "client_credentials"), "Authorization", basic(id, secret)).statusCode();
    }

    @Test
    void clientsAreCreatedFoundChangedDisabledGivenNewSecretsAndDeleted() {
        String name = "Lab feed " + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> created = admin("POST", "/clients", "{\"client_name\":\"" + name + "\",\"grant_types\":[\"client_credentials\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.rs\"}");
        assertEquals(201, created.statusCode(), created.body());
        JSONObject client = Browser.json(created);
        String id = (String) client.get("client_id");
        String secret = (String) client.get("client_secret");
        assertEquals("console", client.get("registration"));
        assertEquals("confidential", client.get("client_type"));
        JSONObject page = Browser.json(admin("GET", "/clients?q=" + enc(name.substring(0, 12)) + "&_count=5", null));
        assertTrue(((JSONArray) page.get("clients")).stream().anyMatch(c -> id.equals(((JSONObject) c).get("client_id"))), page.toString());
        assertEquals(200, clientCredentials(id, secret));

        HttpResponse<String> renewed = admin("POST", "/clients/" + id + "/secret", null);
        assertEquals(200, renewed.statusCode(), renewed.body());
        String newSecret = (String) Browser.json(renewed).get("client_secret");
        assertNotEquals(secret, newSecret);
        assertEquals(401, clientCredentials(id, secret), "the old secret stops working at once");
        String token = (String) Browser.json(browser.postForm(issuer() + "/token", Browser.form("grant_type", "client_credentials"),
                "Authorization", basic(id, newSecret))).get("access_token");
        assertEquals(200, browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + token).statusCode());

        assertEquals(200, admin("POST", "/clients/" + id + "/disable", null).statusCode());
        assertEquals(401, clientCredentials(id, newSecret), "a disabled client gets no token");
        HttpResponse<String> disabled = browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + token);
        assertEquals(401, disabled.statusCode());
        assertTrue(disabled.headers().firstValue("WWW-Authenticate").orElse("").contains("disabled"), disabled.headers().toString());
        assertEquals(200, admin("POST", "/clients/" + id + "/enable", null).statusCode());

        HttpResponse<String> updated = admin("PUT", "/clients/" + id, "{\"client_id\":\"" + id + "\",\"client_name\":\"" + name + "\","
                + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/Patient.rs\"}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("system/Patient.rs", Browser.json(updated).get("scope"));
        HttpResponse<String> implicit = admin("PUT", "/clients/" + id, "{\"client_id\":\"" + id + "\",\"response_types\":[\"token\"],"
                + "\"grant_types\":[\"implicit\"],\"redirect_uris\":[\"https://app.example.com/cb\"]}");
        assertEquals(400, implicit.statusCode());
        assertEquals("invalid_client_metadata", Browser.json(implicit).get("error"));
        HttpResponse<String> console = admin("DELETE", "/clients/bastion-console", null);
        assertEquals(400, console.statusCode());
        assertEquals("client_id", Browser.json(console).get("field"));

        assertEquals(204, admin("DELETE", "/clients/" + id, null).statusCode());
        HttpResponse<String> gone = admin("GET", "/clients/" + id, null);
        assertEquals(404, gone.statusCode());
        assertEquals("not_found", Browser.json(gone).get("error"), "the same code as every other admin 404");
        assertEquals(401, browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + token).statusCode(),
                "a deleted client's tokens stop working");

        HttpResponse<String> trail = admin("GET", "/audit?category=admin&_count=50", null);
        assertTrue(trail.body().contains("/admin/api/clients/" + id + "/secret"), "each change is audited: " + trail.body());
    }

    @Test
    void usersAreListedChangedResetAndTheirConsentsAndTokensRevoked() {
        String username = "it-user-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(adminToken(), username, null, "[]");
        JSONArray found = (JSONArray) org.junit.jupiter.api.Assertions.assertDoesNotThrow(() ->
                net.minidev.json.JSONValue.parse(admin("GET", "/users?q=" + username, null).body()));
        assertEquals(1, found.size(), found.toString());
        String id = (String) ((JSONObject) found.get(0)).get("id");

        HttpResponse<String> changed = admin("PUT", "/users/" + id, "{\"fhirUser\":\"Practitioner/it-42\",\"roles\":[\"clinician\"],\"locale\":\"ja\"}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("Practitioner/it-42", Browser.json(changed).get("fhirUser"));
        HttpResponse<String> badUser = admin("PUT", "/users/" + id, "{\"fhirUser\":\"Observation/1\"}");
        assertEquals(400, badUser.statusCode());
        assertEquals("fhirUser", Browser.json(badUser).get("field"));
        assertEquals(400, admin("POST", "/users/" + id + "/password", "{\"password\":\"short\"}").statusCode());
        assertEquals(204, admin("POST", "/users/" + id + "/password", "{\"password\":\"a new long password\"}").statusCode());

        String token = userToken(username, "a new long password");
        String consents = admin("GET", "/consents?user=" + id, null).body();
        assertTrue(consents.contains("bastion-console"), consents);
        String tokens = admin("GET", "/tokens?user=" + id, null).body();
        String jti = (String) ((JSONObject) ((JSONArray) net.minidev.json.JSONValue.parse(tokens)).get(0)).get("jti");
        assertEquals(200, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + token).statusCode());
        assertEquals(204, admin("POST", "/tokens/" + jti + "/revoke", null).statusCode());
        assertEquals(401, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + token).statusCode(), "revoked by the admin");
        assertFalse(admin("GET", "/tokens?user=" + id, null).body().contains(jti), "a revoked token is no longer listed");
        assertEquals(false, introspect(browser, resourceServer(browser), token).get("active"), "introspection agrees");

        String beforeWithdrawal = userToken(username, "a new long password");
        assertEquals(200, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + beforeWithdrawal).statusCode());
        assertTrue(admin("GET", "/tokens?user=" + id, null).body().contains("bastion-console"), "the new token is listed");
        assertEquals(204, admin("DELETE", "/consents/" + id + "/bastion-console", null).statusCode());
        assertFalse(admin("GET", "/consents?user=" + id, null).body().contains("bastion-console"));
        assertEquals(401, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + beforeWithdrawal).statusCode(),
                "withdrawing the consent revokes what the client holds for the user");
        assertEquals("[]", admin("GET", "/tokens?user=" + id, null).body().replace(" ", ""));
        assertEquals(400, admin("GET", "/tokens", null).statusCode(), "tokens are listed by user or client");

        String beforeDisabling = userToken(username, "a new long password");
        assertEquals(200, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + beforeDisabling).statusCode(),
                "a token of a new consent, moments after the withdrawal, is valid");
        assertEquals(200, admin("PUT", "/users/" + id, "{\"enabled\":false}").statusCode());
        assertEquals(401, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + beforeDisabling).statusCode(),
                "disabling a user revokes the user's tokens");
        Browser someone = new Browser();
        String loginUrl = Browser.location(someone.get(issuer() + "/authorize?response_type=code&client_id=bastion-console&redirect_uri="
                + enc(baseUrl() + "/admin/") + "&scope=openid&state=s&code_challenge=" + new Pkce().challenge + "&code_challenge_method=S256"));
        var form = Browser.hiddenFields(someone.get(loginUrl).body());
        form.put("username", java.util.List.of(username));
        form.put("password", java.util.List.of("a new long password"));
        assertEquals(401, someone.postForm(issuer() + "/login", form).statusCode(), "a disabled user stays on the sign-in page");
    }

    @Test
    void keysInitialAccessTokensScopesAndSettings() {
        String keys = admin("GET", "/keys", null).body();
        String signing = (String) ((JSONObject) ((JSONArray) Browser.json(admin("GET", "/keys", null)).get("keys")).stream()
                .filter(k -> Boolean.TRUE.equals(((JSONObject) k).get("signing"))).findFirst().orElseThrow()).get("kid");
        HttpResponse<String> retireSigning = admin("POST", "/keys/" + signing + "/retire", null);
        assertEquals(400, retireSigning.statusCode(), keys);
        assertTrue(retireSigning.body().contains("rotate first"), retireSigning.body());

        String iat = (String) Browser.json(admin("POST", "/initial-access-tokens", "{\"uses\":2}")).get("token");
        assertTrue(iat.length() > 20);
        JSONArray usable = (JSONArray) net.minidev.json.JSONValue.parse(admin("GET", "/initial-access-tokens", null).body());
        String iatId = (String) ((JSONObject) usable.get(0)).get("id");
        assertFalse(admin("GET", "/initial-access-tokens", null).body().contains(iat), "the token itself is never shown again");
        assertEquals(204, admin("DELETE", "/initial-access-tokens/" + iatId, null).statusCode());
        assertFalse(admin("GET", "/initial-access-tokens", null).body().contains(iatId));

        String scope = "patient/Device.rs";
        assertEquals(200, admin("PUT", "/scopes", "{\"name\":\"" + scope + "\",\"description_en\":\"Your devices\",\"description_ja\":\"あなたの機器\"}").statusCode());
        String catalogue = admin("GET", "/scopes", null).body();
        assertTrue(catalogue.contains("あなたの機器"), catalogue);
        assertEquals(204, admin("DELETE", "/scopes/" + enc(scope), null).statusCode());

        JSONObject settings = Browser.json(admin("GET", "/settings", null));
        assertEquals(Boolean.FALSE, ((JSONObject) settings.get("base_url")).get("editable"));
        HttpResponse<String> changed = admin("PUT", "/settings", "{\"token_refresh_seconds\":2592000}");
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("database", ((JSONObject) Browser.json(changed).get("token_refresh_seconds")).get("source"));
        HttpResponse<String> tooShort = admin("PUT", "/settings", "{\"token_code_seconds\":1}");
        assertEquals(400, tooShort.statusCode());
        assertEquals("token_code_seconds", Browser.json(tooShort).get("field"));
        HttpResponse<String> baseUrl = admin("PUT", "/settings", "{\"base_url\":\"https://elsewhere.example.org\"}");
        assertEquals(400, baseUrl.statusCode());
        assertTrue(baseUrl.body().contains("BASTION_BASE_URL"), baseUrl.body());
    }
}
