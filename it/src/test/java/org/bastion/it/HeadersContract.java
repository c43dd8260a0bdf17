package org.bastion.it;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.bastion.it.Browser.form;
import static org.bastion.it.Browser.location;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The security headers of docs/security.md: the console and the sample app load and call only
 * this server and are never framed; FHIR, token and admin API answers are never stored; a
 * resource's own Cache-Control and the sign-in pages' own policy stay theirs; each header is
 * sent once; no HSTS over http.
 */
abstract class HeadersContract extends OAuthClientSupport {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
    private final Browser browser = new Browser();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void consolePageAndScriptsMayLoadOnlyTheirOwnFilesAndAreNeverFramed() {
        assertBrowserApp(browser.get(baseUrl() + "/admin/"));
        assertBrowserApp(browser.get(baseUrl() + "/admin/app.js"));
    }

    @Test
    void sampleAppPageAndScriptsMayLoadOnlyTheirOwnFilesAndAreNeverFramed() {
        assertBrowserApp(browser.get(baseUrl() + "/apps/patient-browser/"));
        assertBrowserApp(browser.get(baseUrl() + "/apps/patient-browser/smart.js"));
    }

    @Test
    void aFhirReadIsNotStored() {
        String token = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        String id = "headers-" + run;
        HttpResponse<String> put = browser.fhir(fhirBase(), token, "PUT", "/Patient/" + id,
                "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Headers\"}]}");
        assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
        HttpResponse<String> read = browser.fhir(fhirBase(), token, "GET", "/Patient/" + id, null);
        assertEquals(200, read.statusCode(), read.body());
        assertNotStoredJson(read);
    }

    @Test
    void aFhirRefusalWithoutATokenIsNotStored() {
        HttpResponse<String> refused = browser.get(fhirBase() + "/Patient/headers-" + run);
        assertEquals(401, refused.statusCode(), refused.body());
        assertNotStoredJson(refused);
    }

    @Test
    void aTokenResponseKeepsItsNoStoreAndPragma() {
        Registered client = confidential(browser, "client_credentials", "system/*.rs");
        HttpResponse<String> tokens = browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"),
                "Authorization", client.basic());
        assertEquals(200, tokens.statusCode(), tokens.body());
        // RFC 6749 §5.1: no-store, and Pragma for HTTP/1.0 caches; the token endpoint's own value, sent once
        assertEquals(Set.of("no-cache", "no-transform", "no-store"), cacheDirectives(tokens));
        assertEquals(List.of("no-cache"), tokens.headers().allValues("Pragma"));
        assertEquals(List.of("nosniff"), tokens.headers().allValues("X-Content-Type-Options"));
    }

    @Test
    void anAdminApiAnswerIsNotStoredAndCarriesNoPagePolicy() {
        HttpResponse<String> settings = browser.get(baseUrl() + "/admin/api/settings", "Authorization", "Bearer " + adminToken());
        assertEquals(200, settings.statusCode(), settings.body());
        assertNotStoredJson(settings);
    }

    @Test
    void publicKeysDiscoveryAndTheSmartStyleKeepTheirOwnCaching() {
        HttpResponse<String> jwks = browser.get(issuer() + "/jwks");
        assertEquals(200, jwks.statusCode(), jwks.body());
        assertEquals(Set.of("no-transform", "max-age=300"), cacheDirectives(jwks));
        HttpResponse<String> discovery = browser.get(issuer() + "/.well-known/openid-configuration");
        assertEquals(200, discovery.statusCode(), discovery.body());
        assertEquals(List.of(), discovery.headers().allValues("Cache-Control"));
        assertEquals(List.of("nosniff"), discovery.headers().allValues("X-Content-Type-Options"));
        // under /oauth2, where no-store is the default: the resource's value replaces it, not joins it
        HttpResponse<String> style = browser.get(issuer() + "/smart-style.json");
        assertEquals(200, style.statusCode(), style.body());
        assertEquals(Set.of("no-transform", "max-age=86400"), cacheDirectives(style));
    }

    @Test
    void theSignInPageKeepsItsOwnPolicyAndSendsEachHeaderOnce() {
        String loginUrl = location(browser.get(issuer() + "/authorize?response_type=code&client_id=bastion-console&redirect_uri="
                + enc(baseUrl() + "/admin/") + "&scope=openid&state=s&code_challenge=" + new Pkce().challenge
                + "&code_challenge_method=S256"));
        HttpResponse<String> login = browser.get(loginUrl);
        assertEquals(200, login.statusCode(), login.body());
        List<String> policy = login.headers().allValues("Content-Security-Policy");
        assertEquals(1, policy.size(), policy.toString());
        assertTrue(policy.get(0).startsWith("default-src 'none'; "), policy.get(0));
        assertTrue(policy.get(0).contains("; frame-ancestors 'none'"), policy.get(0));
        assertEquals(List.of("DENY"), login.headers().allValues("X-Frame-Options"));
        assertEquals(List.of("nosniff"), login.headers().allValues("X-Content-Type-Options"));
        assertEquals(List.of("same-origin"), login.headers().allValues("Referrer-Policy"));
        assertEquals(Set.of("no-cache", "no-transform", "no-store"), cacheDirectives(login));
    }

    @Test
    void noStrictTransportSecurityOverHttp() {
        for (HttpResponse<String> response : List.of(browser.get(baseUrl() + "/admin/"), browser.get(issuer() + "/jwks"),
                browser.get(fhirBase() + "/metadata"), browser.get(fhirBase() + "/Patient"))) {
            assertEquals(List.of(), response.headers().allValues("Strict-Transport-Security"), response.uri().toString());
            assertEquals(List.of("nosniff"), response.headers().allValues("X-Content-Type-Options"), response.uri().toString());
        }
    }

    private static void assertBrowserApp(HttpResponse<String> response) {
        String url = response.uri().toString();
        assertEquals(200, response.statusCode(), url);
        assertEquals(List.of(POLICY), response.headers().allValues("Content-Security-Policy"), url);
        assertEquals(List.of("DENY"), response.headers().allValues("X-Frame-Options"), url);
        assertEquals(List.of("nosniff"), response.headers().allValues("X-Content-Type-Options"), url);
        assertEquals(List.of("same-origin"), response.headers().allValues("Referrer-Policy"), url);
    }

    /** FHIR and admin JSON: the filter's no-store alone, and none of the page headers. */
    private static void assertNotStoredJson(HttpResponse<String> response) {
        String url = response.uri().toString();
        assertEquals(List.of("no-store"), response.headers().allValues("Cache-Control"), url);
        assertEquals(List.of("nosniff"), response.headers().allValues("X-Content-Type-Options"), url);
        assertEquals(List.of(), response.headers().allValues("Content-Security-Policy"), url);
        assertEquals(List.of(), response.headers().allValues("X-Frame-Options"), url);
    }

    /** The directives of the response's one Cache-Control header. */
    private static Set<String> cacheDirectives(HttpResponse<String> response) {
        List<String> values = response.headers().allValues("Cache-Control");
        assertEquals(1, values.size(), "one Cache-Control header on " + response.uri() + ": " + values);
        return Arrays.stream(values.get(0).split(",")).map(String::strip).collect(Collectors.toSet());
    }
}
