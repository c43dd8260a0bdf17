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
 * The authorization server through HTTP only, as a client and a browser without JavaScript see
 * it: registration, the code flow with PKCE through the login and consent pages, the token
 * endpoint's grants and client authentication methods, introspection, revocation, logout, and
 * every refusal with its RFC error code.
 */
abstract class OAuthContract extends OAuthClientSupport {

    // --- discovery -------------------------------------------------------------------------

    @Test
    void discoveryListsEveryEndpointAndOnlyS256() {
        JSONObject metadata = json(new Browser().get(issuer() + "/.well-known/openid-configuration"));
        for (String endpoint : List.of("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "registration_endpoint",
                "introspection_endpoint", "revocation_endpoint", "end_session_endpoint", "jwks_uri")) {
            assertTrue(String.valueOf(metadata.get(endpoint)).startsWith(issuer() + "/"), endpoint + ": " + metadata);
        }
        assertEquals(List.of("S256"), metadata.get("code_challenge_methods_supported"));
        assertEquals(List.of("code"), metadata.get("response_types_supported"));
        assertTrue(((List<?>) metadata.get("grant_types_supported")).containsAll(List.of("authorization_code", "refresh_token",
                "client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer")), metadata.toJSONString());
        assertTrue(((List<?>) metadata.get("token_endpoint_auth_methods_supported")).containsAll(List.of("client_secret_basic",
                "client_secret_post", "private_key_jwt", "none")));
        assertEquals(true, metadata.get("authorization_response_iss_parameter_supported"));
        assertEquals(List.of("en", "ja"), metadata.get("ui_locales_supported"));
    }

    @Test
    void smartConfigurationNamesTheAuthorizationServerAndItsCapabilities() {
        HttpResponse<String> response = new Browser().get(fhirBase() + "/.well-known/smart-configuration");
        assertEquals(200, response.statusCode());
        JSONObject smart = json(response);
        assertEquals(issuer(), smart.get("issuer"));
        assertEquals(issuer() + "/authorize", smart.get("authorization_endpoint"));
        assertEquals(issuer() + "/token", smart.get("token_endpoint"));
        assertEquals(List.of("S256"), smart.get("code_challenge_methods_supported"));
        List<?> capabilities = (List<?>) smart.get("capabilities");
        assertTrue(capabilities.containsAll(List.of("launch-standalone", "client-public", "client-confidential-symmetric",
                "client-confidential-asymmetric", "sso-openid-connect", "permission-v1", "permission-v2", "authorize-post")), capabilities.toString());
        assertTrue(capabilities.containsAll(List.of("launch-ehr", "context-ehr-patient")), capabilities.toString());
        assertTrue(capabilities.contains("context-standalone-patient"), capabilities.toString());
    }

    // --- registration ----------------------------------------------------------------------

    @Test
    void registrationIssuesAClientAndItsManagementToken() {
        Browser browser = new Browser();
        JSONObject registered = register(browser, publicApp());
        String clientId = (String) registered.get("client_id");
        assertNull(registered.get("client_secret"), "a public client gets no secret");
        String token = (String) registered.get("registration_access_token");
        HttpResponse<String> read = browser.get((String) registered.get("registration_client_uri"), "Authorization", "Bearer " + token);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals(clientId, json(read).get("client_id"));
        HttpResponse<String> forged = browser.get(issuer() + "/register/" + clientId, "Authorization", "Bearer not-the-token");
        assertEquals(401, forged.statusCode());
        assertEquals("invalid_token", json(forged).get("error"));
    }

    @Test
    void registrationRefusesUnsafeRedirectUrisAndMalformedMetadata() {
        Browser browser = new Browser();
        HttpResponse<String> http = postRegistration(browser,
                "{\"redirect_uris\":[\"http://app.example.com/cb\"],\"token_endpoint_auth_method\":\"none\"}");
        assertEquals(400, http.statusCode());
        assertEquals("invalid_redirect_uri", json(http).get("error"));
        HttpResponse<String> fragment = postRegistration(browser, "{\"redirect_uris\":[\"https://app.example.com/cb#x\"]}");
        assertEquals("invalid_redirect_uri", json(fragment).get("error"));
        HttpResponse<String> garbage = postRegistration(browser, "{\"redirect_uris\": [");
        assertEquals(400, garbage.statusCode());
        assertEquals("invalid_client_metadata", json(garbage).get("error"));
        HttpResponse<String> implicit = postRegistration(browser,
                "{\"redirect_uris\":[\"https://app.example.com/cb\"],\"response_types\":[\"token\"],\"grant_types\":[\"implicit\"]}");
        assertEquals(400, implicit.statusCode());
        assertEquals("invalid_client_metadata", json(implicit).get("error"));
        HttpResponse<String> huge = postRegistration(browser, "{\"client_name\":\"" + "x".repeat(70_000) + "\"}");
        assertEquals(400, huge.statusCode());
    }

    // --- the code flow through the pages ---------------------------------------------------

    @Test
    void codeFlowWithPkceThroughLoginAndConsentIssuesRfc9068TokensAndAnIdToken() throws ParseException {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid fhirUser profile offline_access patient/Observation.rs",
                List.of("openid", "profile", "offline_access", "patient/Observation.rs"));
        HttpResponse<String> response = exchange(browser, clientId, code, pkce.verifier);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("no-store"), "RFC 6749 section 5.1");
        JSONObject tokens = json(response);
        assertEquals("Bearer", tokens.get("token_type"));
        assertEquals("openid profile offline_access patient/Observation.rs", tokens.get("scope"), "the unticked fhirUser is not granted");
        SignedJWT access = SignedJWT.parse((String) tokens.get("access_token"));
        assertEquals("at+jwt", access.getHeader().getType().getType());
        JWTClaimsSet claims = access.getJWTClaimsSet();
        assertEquals(issuer(), claims.getIssuer());
        assertEquals(List.of(fhirBase()), claims.getAudience());
        assertEquals(clientId, claims.getStringClaim("client_id"));
        assertEquals("openid profile offline_access patient/Observation.rs", claims.getStringClaim("scope"));
        assertNotNull(claims.getJWTID());
        assertNotNull(tokens.get("refresh_token"));
        JWTClaimsSet id = SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet();
        assertEquals(List.of(clientId), id.getAudience());
        assertEquals("n-0S6_WzA2Mj", id.getStringClaim("nonce"));
        assertNotNull(id.getClaim("at_hash"));
        assertNotNull(id.getClaim("auth_time"));
        assertEquals(claims.getSubject(), id.getSubject());
        assertEquals("admin", id.getStringClaim("preferred_username"));

        // accepted by the FHIR API, whose answer explains that patient/ scopes need a launch patient
        HttpResponse<String> fhir = browser.get(fhirBase() + "/Observation", "Authorization", "Bearer " + tokens.get("access_token"));
        assertEquals(403, fhir.statusCode(), fhir.body());
        assertTrue(fhir.body().contains("no patient claim"), fhir.body());
        HttpResponse<String> userinfo = browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + tokens.get("access_token"));
        assertEquals(200, userinfo.statusCode(), userinfo.body());
        assertEquals(id.getSubject(), json(userinfo).get("sub"));
    }

    @Test
    void aUserSeesTheAppsTheyAllowedAndRevokingOneEndsItsTokens() {
        String username = "apps-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(adminToken(), username, null, "[]");
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp().replace("IT SMART App", "My Apps IT " + username)).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid offline_access user/Patient.rs", List.of("openid", "offline_access", "user/Patient.rs"),
                username, "correct horse battery");
        JSONObject tokens = json(exchange(browser, clientId, code, pkce.verifier));
        String access = (String) tokens.get("access_token");
        String refreshToken = (String) tokens.get("refresh_token");

        // the same browser is signed in: the page lists the app with its permissions and last use
        HttpResponse<String> page = browser.get(issuer() + "/account");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("My Apps IT " + username) && page.body().contains("user/Patient.rs")
                && page.body().contains("data-client=\"" + clientId + "\""), page.body());
        assertFalse(page.body().contains("data-test=\"last-used\">Not yet"), "a token was issued: its time is the last use");

        // an attacker: another user's session revokes nothing of this user's; a forged form nothing at all
        String other = "apps-other-" + UUID.randomUUID().toString().substring(0, 8);
        createUser(adminToken(), other, null, "[]");
        Browser stranger = new Browser();
        Map<String, List<String>> strangerForm = Browser.hiddenFields(stranger.get(issuer() + "/account").body());
        strangerForm.put("username", List.of(other));
        strangerForm.put("password", List.of("correct horse battery"));
        HttpResponse<String> strangerIn = stranger.postForm(issuer() + "/account/login", strangerForm);
        assertEquals(303, strangerIn.statusCode(), strangerIn.body());
        HttpResponse<String> strangerPage = stranger.get(issuer() + "/account");
        assertTrue(strangerPage.body().contains("data-test=\"no-apps\""), "the other user allowed nothing: " + strangerPage.body());
        Map<String, List<String>> strangerRevoke = Browser.hiddenFields(strangerPage.body());
        strangerRevoke.put("client_id", List.of(clientId));
        assertEquals(404, stranger.postForm(issuer() + "/account/revoke", strangerRevoke).statusCode(), "no consent of the other user to revoke");
        HttpResponse<String> forged = stranger.postForm(issuer() + "/account/revoke", form("csrf", "forged", "client_id", clientId));
        assertEquals(403, forged.statusCode(), "a form without the browser's anti-forgery value: " + forged.body());
        HttpResponse<String> noSession = new Browser().postForm(issuer() + "/account/revoke", form("client_id", clientId));
        assertEquals(403, noSession.statusCode(), noSession.body());
        assertEquals(200, browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + access).statusCode(), "the app's token still works");

        // the user revokes: consent gone, access and refresh tokens dead
        Map<String, List<String>> revoke = Browser.hiddenFields(page.body().substring(page.body().indexOf("data-client=\"" + clientId + "\"")));
        revoke.keySet().retainAll(List.of("csrf", "client_id"));
        assertEquals(List.of(clientId), revoke.get("client_id"));
        HttpResponse<String> revoked = browser.postForm(issuer() + "/account/revoke", revoke);
        assertEquals(303, revoked.statusCode(), revoked.body());
        HttpResponse<String> after = browser.get(location(revoked));
        assertTrue(after.body().contains("data-test=\"revoked\"") && after.body().contains("My Apps IT " + username), after.body());
        assertFalse(after.body().contains("data-client=\"" + clientId + "\""), "no longer listed");
        assertFalse(browser.get(location(revoked)).body().contains("data-test=\"revoked\""), "the note is shown once");
        HttpResponse<String> crafted = stranger.get(issuer() + "/account?revoked=" + clientId);
        assertFalse(crafted.body().contains("data-test=\"revoked\"") || crafted.body().contains("My Apps IT " + username),
                "a link cannot make the page say an app was revoked: " + crafted.body());
        HttpResponse<String> dead = browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + access);
        assertEquals(401, dead.statusCode(), "the app's access token is revoked: " + dead.body());
        HttpResponse<String> deadFhir = browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + access);
        assertEquals(401, deadFhir.statusCode(), "at the FHIR API too: " + deadFhir.body());
        assertError(refresh(browser, clientId, refreshToken, null), 400, "invalid_grant", "");
        HttpResponse<String> again = browser.get(authorizeUrl(clientId, new Pkce(), "openid user/Patient.rs", "xyz", ""));
        assertTrue(location(again).startsWith(issuer() + "/consent?request="), "the app has to ask again: " + location(again));
    }

    @Test
    void theAccountPageAsksToSignInAndRefusesAWrongPassword() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(issuer() + "/account");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("action=\"" + issuer() + "/account/login\"") && page.body().contains("name=\"password\""), page.body());
        Map<String, List<String>> form = Browser.hiddenFields(page.body());
        form.put("username", List.of("admin"));
        form.put("password", List.of("not the password"));
        HttpResponse<String> wrong = browser.postForm(issuer() + "/account/login", form);
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertTrue(wrong.body().contains("role=\"alert\""), "the page says it failed: " + wrong.body());
        assertEquals(403, new Browser().postForm(issuer() + "/account/login", form("username", "admin", "password", adminPassword())).statusCode(),
                "a sign-in posted from elsewhere (no anti-forgery cookie)");
        HttpResponse<String> ja = new Browser().get(issuer() + "/account", "Accept-Language", "ja");
        assertTrue(ja.body().contains("lang=\"ja\"") && ja.body().contains("ログイン"), ja.body());
    }

    @Test
    void aSecondAuthorizationReusesTheSessionAndTheConsent() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        signInAndConsent(browser, clientId, new Pkce(), "openid patient/*.rs", List.of("openid", "patient/*.rs"));
        HttpResponse<String> again = browser.get(authorizeUrl(clientId, new Pkce(), "openid patient/*.rs", "state-2", ""));
        String callback = location(again);
        assertTrue(callback.startsWith(CALLBACK + "?"), "no login and no consent page the second time: " + callback);
        assertNotNull(queryParam(callback, "code"));
        assertEquals("state-2", queryParam(callback, "state"));
        assertEquals(issuer(), queryParam(callback, "iss"), "RFC 9207 iss in the response");
    }

    @Test
    void promptNoneWithoutASessionReturnsLoginRequired() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        String callback = location(browser.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "&prompt=none")));
        assertEquals("login_required", queryParam(callback, "error"));
        assertEquals("s", queryParam(callback, "state"));
    }

    @Test
    void denyingConsentReturnsAccessDenied() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> consent = signIn(browser, clientId, new Pkce(), "openid", "");
        Map<String, List<String>> form = Browser.hiddenFields(consent.body());
        form.put("decision", List.of("deny"));
        String callback = location(browser.postForm(issuer() + "/consent", form));
        assertEquals("access_denied", queryParam(callback, "error"));
    }

    @Test
    void unknownClientAndUnregisteredRedirectUriAreShownNeverRedirected() {
        Browser browser = new Browser();
        HttpResponse<String> unknown = browser.get(issuer() + "/authorize?response_type=code&client_id=nobody&redirect_uri="
                + enc("https://evil.example/cb"));
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Location").isEmpty());
        assertTrue(unknown.body().contains("nobody"), unknown.body());
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> wrong = browser.get(issuer() + "/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=" + enc(CALLBACK + "/other"));
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("Location").isEmpty());
        assertTrue(wrong.body().contains("is not registered for application"), wrong.body());
    }

    @Test
    void publicClientsMustUsePkceWithS256() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        String base = issuer() + "/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + enc(CALLBACK) + "&state=s";
        String noPkce = location(browser.get(base));
        assertEquals("invalid_request", queryParam(noPkce, "error"));
        assertTrue(queryParam(noPkce, "error_description").contains("PKCE"));
        String plain = location(browser.get(base + "&code_challenge=" + "a".repeat(43) + "&code_challenge_method=plain"));
        assertEquals("invalid_request", queryParam(plain, "error"));
        String implicit = location(browser.get(issuer() + "/authorize?response_type=token&client_id=" + clientId
                + "&redirect_uri=" + enc(CALLBACK) + "&state=s"));
        assertEquals("unsupported_response_type", queryParam(implicit, "error"));
        String unknownScope = location(browser.get(authorizeUrl(clientId, new Pkce(), "openid spaceship/*.read", "s", "")));
        assertEquals("invalid_scope", queryParam(unknownScope, "error"));
        String wrongAud = location(browser.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "&aud=" + enc("https://other.example/fhir"))));
        assertEquals("invalid_request", queryParam(wrongAud, "error"));
    }

    @Test
    void loginAndConsentPagesRefuseForgedPostsAndFraming() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> login = browser.get(location(browser.get(authorizeUrl(clientId, new Pkce(), "openid", "s", ""))));
        assertEquals(200, login.statusCode());
        assertTrue(login.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
        assertEquals("DENY", login.headers().firstValue("X-Frame-Options").orElse(""));
        Map<String, List<String>> form = Browser.hiddenFields(login.body());
        form.put("username", List.of("admin"));
        form.put("password", List.of(adminPassword()));
        Browser attacker = new Browser();
        HttpResponse<String> forged = attacker.postForm(issuer() + "/login", form);
        assertEquals(403, forged.statusCode(), "a post without the browser's cookie is refused");
        form.put("password", List.of("wrong password"));
        HttpResponse<String> wrong = browser.postForm(issuer() + "/login", form);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("Sign-in failed. Check the username and password"), wrong.body());
    }

    @Test
    void pagesSpeakJapaneseWithUiLocalesJa() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> login = browser.get(location(browser.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "&ui_locales=ja"))));
        assertTrue(login.body().contains("<html lang=\"ja\">"), login.body());
        assertTrue(login.body().contains("ログイン") || login.body().contains("サインイン"), login.body());
    }

    // --- token endpoint refusals -----------------------------------------------------------

    @Test
    void wrongOrMissingVerifierAndWrongRedirectUriAreInvalidGrant() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid", List.of("openid"));
        HttpResponse<String> wrongVerifier = exchange(browser, clientId, code, new Pkce().verifier);
        assertError(wrongVerifier, 400, "invalid_grant", "code_verifier does not match");
        String code2 = code(browser.get(authorizeUrl(clientId, pkce, "openid", "s", "")));
        HttpResponse<String> missing = browser.postForm(issuer() + "/token", form("grant_type", "authorization_code",
                "code", code2, "redirect_uri", CALLBACK, "client_id", clientId));
        assertError(missing, 400, "invalid_grant", "code_verifier is missing");
        String code3 = code(browser.get(authorizeUrl(clientId, pkce, "openid", "s", "")));
        HttpResponse<String> otherRedirect = browser.postForm(issuer() + "/token", form("grant_type", "authorization_code",
                "code", code3, "redirect_uri", CALLBACK + "/x", "client_id", clientId, "code_verifier", pkce.verifier));
        assertError(otherRedirect, 400, "invalid_grant", "redirect_uri");
    }

    @Test
    void replayedCodeRevokesTokensIssuedWithIt() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Registered resourceServer = resourceServer(browser);
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid offline_access", List.of("openid", "offline_access"));
        JSONObject tokens = json(exchange(browser, clientId, code, pkce.verifier));
        assertEquals(true, introspect(browser, resourceServer, (String) tokens.get("access_token")).get("active"));
        assertError(exchange(browser, clientId, code, pkce.verifier), 400, "invalid_grant", "already used");
        assertEquals(false, introspect(browser, resourceServer, (String) tokens.get("access_token")).get("active"));
        assertEquals(false, introspect(browser, resourceServer, (String) tokens.get("refresh_token")).get("active"));
    }

    @Test
    void expiredCodeIsInvalidGrant() throws InterruptedException {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid", List.of("openid"));
        Thread.sleep(codeLifetimeMillis() + 1500);
        assertError(exchange(browser, clientId, code, pkce.verifier), 400, "invalid_grant", "expired");
    }

    /** The integration runs shorten code lifetime (BASTION_TOKEN_CODE_SECONDS) so this test need not wait a minute. */
    static long codeLifetimeMillis() {
        String seconds = System.getenv("BASTION_TOKEN_CODE_SECONDS");
        return (seconds == null ? 60 : Long.parseLong(seconds)) * 1000;
    }

    @Test
    void refreshTokensRotateAndAReusedOneRevokesTheWholeGrant() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid offline_access patient/*.rs",
                List.of("openid", "offline_access", "patient/*.rs"));
        JSONObject first = json(exchange(browser, clientId, code, pkce.verifier));
        String refresh1 = (String) first.get("refresh_token");
        HttpResponse<String> second = refresh(browser, clientId, refresh1, null);
        assertEquals(200, second.statusCode(), second.body());
        String refresh2 = (String) json(second).get("refresh_token");
        assertNotEquals(refresh1, refresh2);
        // SMART App Launch 2 ("Refresh access token"): a public app need not name itself; the refresh token does.
        HttpResponse<String> anonymous = browser.postForm(issuer() + "/token", form("grant_type", "refresh_token", "refresh_token", refresh2));
        assertEquals(200, anonymous.statusCode(), anonymous.body());
        refresh2 = (String) json(anonymous).get("refresh_token");
        HttpResponse<String> narrowed = refresh(browser, clientId, refresh2, "openid offline_access");
        assertEquals("openid offline_access", json(narrowed).get("scope"));
        String refresh3 = (String) json(narrowed).get("refresh_token");
        assertError(refresh(browser, clientId, refresh3, "openid offline_access user/*.*"), 400, "invalid_scope", "not granted");
        assertError(refresh(browser, clientId, refresh1, null), 400, "invalid_grant", "already used");
        assertError(refresh(browser, clientId, refresh3, null), 400, "invalid_grant", "revoked");
    }

    @Test
    void revokingARefreshTokenEndsItsGrant() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Registered resourceServer = resourceServer(browser);
        Pkce pkce = new Pkce();
        JSONObject tokens = json(exchange(browser, clientId,
                signInAndConsent(browser, clientId, pkce, "openid offline_access", List.of("openid", "offline_access")), pkce.verifier));
        HttpResponse<String> revoked = browser.postForm(issuer() + "/revoke", form("token", (String) tokens.get("refresh_token"),
                "client_id", clientId));
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertEquals(false, introspect(browser, resourceServer, (String) tokens.get("access_token")).get("active"));
        assertError(refresh(browser, clientId, (String) tokens.get("refresh_token"), null), 400, "invalid_grant", "revoked");
        HttpResponse<String> unknown = browser.postForm(issuer() + "/revoke", form("token", "no-such-token", "client_id", clientId));
        assertEquals(200, unknown.statusCode(), "RFC 7009 §2.2: an unknown token is no error");
    }

    @Test
    void aRevokedAccessTokenIsRefusedByTheFhirApiAndUserinfo() {
        Browser browser = new Browser();
        Registered client = confidential(browser, "client_credentials", "system/*.rs");
        String token = (String) json(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"),
                "Authorization", client.basic())).get("access_token");
        assertEquals(200, browser.get(fhirBase() + "/Patient", "Authorization", "Bearer " + token).statusCode());
        assertEquals(200, browser.postForm(issuer() + "/revoke", form("token", token), "Authorization", client.basic()).statusCode());
        HttpResponse<String> after = browser.get(fhirBase() + "/Patient", "Authorization", "Bearer " + token);
        assertEquals(401, after.statusCode());
        assertTrue(after.headers().firstValue("WWW-Authenticate").orElse("").contains("revoked"), after.headers().toString());
    }

    @Test
    void everyTokenAndFhirRequestIsInTheAuditTrailForAdminsOnly() {
        Browser browser = new Browser();
        Registered client = confidential(browser, "client_credentials", "system/Patient.rs");
        String token = (String) json(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"),
                "Authorization", client.basic())).get("access_token");
        Registered wrong = new Registered(client.id(), "not-the-secret", null);
        assertEquals(401, browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", wrong.basic()).statusCode());
        assertEquals(200, browser.get(fhirBase() + "/Patient?_id=audited", "Authorization", "Bearer " + token).statusCode());
        assertEquals(403, browser.get(fhirBase() + "/Observation?code=x", "Authorization", "Bearer " + token).statusCode());
        HttpResponse<String> auditByFhir = browser.get(fhirBase() + "/AuditEvent", "Authorization", "Bearer " + token);
        assertEquals(403, auditByFhir.statusCode());
        assertTrue(auditByFhir.body().contains("/admin/api/audit"), auditByFhir.body());

        String admin = adminToken();
        HttpResponse<String> trail = browser.get(baseUrl() + "/admin/api/audit?client=" + enc(client.id()) + "&_count=10", "Authorization", "Bearer " + admin);
        assertEquals(200, trail.statusCode(), trail.body());
        org.hl7.fhir.r4.model.Bundle bundle = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser()
                .parseResource(org.hl7.fhir.r4.model.Bundle.class, trail.body());
        List<String> seen = new java.util.ArrayList<>();
        for (org.hl7.fhir.r4.model.Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            org.hl7.fhir.r4.model.AuditEvent event = (org.hl7.fhir.r4.model.AuditEvent) entry.getResource();
            seen.add(event.getSubtypeFirstRep().getCode() + " " + event.getOutcomeDesc().split(" ")[0]
                    + (event.getEntityFirstRep().hasWhat() ? " " + event.getEntityFirstRep().getWhat().getReference() : ""));
            assertEquals("127.0.0.1", event.getAgentFirstRep().getNetwork().getAddress());
        }
        // newest first: the AuditEvent attempt, the refused search, the search, the failed and the good token request, the registration
        assertEquals(List.of("search-type 403 AuditEvent", "search-type 403 Observation", "search-type 200 Patient", "token 401", "token 200",
                "register-create 201"), seen);
        org.hl7.fhir.r4.model.AuditEvent refused = (org.hl7.fhir.r4.model.AuditEvent) bundle.getEntry().get(1).getResource();
        assertTrue(refused.getOutcomeDesc().contains("system/Observation.s"), refused.getOutcomeDesc());
        assertEquals("code=x", new String(refused.getEntityFirstRep().getQuery(), StandardCharsets.UTF_8));

        HttpResponse<String> bad = browser.get(baseUrl() + "/admin/api/audit?since=yesterday", "Authorization", "Bearer " + admin);
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("since"), bad.body());
        assertEquals(403, browser.get(baseUrl() + "/admin/api/audit", "Authorization", "Bearer " + token).statusCode(),
                "a client's token is no admin's");
    }

    @Test
    void scopesTakenFromAClientStopCountingInTokensIssuedBefore() {
        Browser browser = new Browser();
        Registered client = confidential(browser, "client_credentials", "system/*.rs");
        String token = (String) json(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"),
                "Authorization", client.basic())).get("access_token");
        assertEquals(200, browser.get(fhirBase() + "/Observation?_count=1", "Authorization", "Bearer " + token).statusCode());
        HttpResponse<String> narrowed = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(issuer() + "/register/" + client.id()))
                .header("Authorization", "Bearer " + client.registrationToken()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + client.id() + "\",\"client_name\":\"IT service\","
                        + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\","
                        + "\"scope\":\"system/Patient.rs\"}")).build());
        assertEquals(200, narrowed.statusCode(), narrowed.body());
        HttpResponse<String> observations = browser.get(fhirBase() + "/Observation?_count=1", "Authorization", "Bearer " + token);
        assertEquals(403, observations.statusCode(), "the token still says system/*.rs, the client no longer may: " + observations.body());
        assertTrue(observations.body().contains("system/Observation.s"), observations.body());
        assertEquals(200, browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + token).statusCode());
        HttpResponse<String> asked = browser.postForm(issuer() + "/token", form("grant_type", "client_credentials", "scope", "system/*.rs"),
                "Authorization", client.basic());
        assertEquals(400, asked.statusCode(), "and the token endpoint no longer issues it: " + asked.body());
        assertEquals("invalid_scope", json(asked).get("error"));
    }

    @Test
    void clientCredentialsWithClientSecretBasicAndPost() {
        Browser browser = new Browser();
        Registered client = confidential(browser, "client_credentials", "system/*.rs system/Patient.r");
        HttpResponse<String> basic = browser.postForm(issuer() + "/token", form("grant_type", "client_credentials", "scope", "system/*.rs"),
                "Authorization", client.basic());
        assertEquals(200, basic.statusCode(), basic.body());
        assertEquals("system/*.rs", json(basic).get("scope"));
        assertNull(json(basic).get("refresh_token"));
        HttpResponse<String> post = browser.postForm(issuer() + "/token", form("grant_type", "client_credentials",
                "client_id", client.id(), "client_secret", client.secret(), "scope", "system/Patient.rs"));
        assertEquals(200, post.statusCode(), "system/*.rs covers the narrower system/Patient.rs: " + post.body());
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"),
                "Authorization", new Registered(client.id(), "wrong", null).basic()), 401, "invalid_client", "secret");
        // No scope asked: the registered ones a client acting for itself can have (not openid, not user/).
        Registered mixed = confidential(browser, "client_credentials", "openid user/*.rs system/Patient.rs");
        HttpResponse<String> unasked = browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", mixed.basic());
        assertEquals(200, unasked.statusCode(), unasked.body());
        assertEquals("system/Patient.rs", json(unasked).get("scope"));
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials", "scope", "patient/*.rs"),
                "Authorization", client.basic()), 400, "invalid_scope", "patient/*.rs");
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials", "scope", "system/*.cruds"),
                "Authorization", client.basic()), 400, "invalid_scope", "not allowed");
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "password", "username", "admin", "password", "x"),
                "Authorization", client.basic()), 400, "unsupported_grant_type", "");
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "authorization_code", "code", "x", "redirect_uri", CALLBACK),
                "Authorization", client.basic()), 400, "unauthorized_client", "grant type");
    }

    @Test
    void privateKeyJwtClientCredentialsRefusesReplayedJtiUnsignedAndHmacAssertions() throws JOSEException {
        Browser browser = new Browser();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Registered client = keyClient(browser, key, "client_credentials");
        String assertion = assertion(key, client.id(), client.id(), issuer() + "/token", UUID.randomUUID().toString());
        HttpResponse<String> ok = browser.postForm(issuer() + "/token", clientAssertion(assertion, "grant_type", "client_credentials",
                "scope", "system/*.rs"));
        assertEquals(200, ok.statusCode(), ok.body());
        assertError(browser.postForm(issuer() + "/token", clientAssertion(assertion, "grant_type", "client_credentials",
                "scope", "system/*.rs")), 400, "invalid_client", "already used");
        JWTClaimsSet claims = claims(client.id(), client.id(), issuer() + "/token", UUID.randomUUID().toString());
        assertError(browser.postForm(issuer() + "/token", clientAssertion(new PlainJWT(claims).serialize(),
                "grant_type", "client_credentials")), 400, "invalid_client", "");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(key.toPublicJWK().toJSONString().repeat(2).getBytes(StandardCharsets.UTF_8)));
        assertError(browser.postForm(issuer() + "/token", clientAssertion(hmac.serialize(), "grant_type", "client_credentials")),
                400, "invalid_client", "");
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        assertError(browser.postForm(issuer() + "/token", clientAssertion(assertion(other, client.id(), client.id(), issuer() + "/token",
                UUID.randomUUID().toString()), "grant_type", "client_credentials")), 400, "invalid_client", "signature");
    }

    @Test
    void jwtBearerGrantActsForAUserOnlyWhenAnAdminSaidSo() throws JOSEException, ParseException {
        Browser browser = new Browser();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Registered client = keyClient(browser, key, "urn:ietf:params:oauth:grant-type:jwt-bearer");
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", assertion(key, client.id(), "admin", issuer() + "/token", UUID.randomUUID().toString()), "scope", "user/*.rs")),
                400, "invalid_grant", "no admin allowed this client to act for that user");
        trust(client.id(), "{\"jwt_bearer_subjects\":[\"admin\"]}");
        String assertion = assertion(key, client.id(), "admin", issuer() + "/token", UUID.randomUUID().toString());
        HttpResponse<String> ok = browser.postForm(issuer() + "/token", form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", assertion, "scope", "user/*.rs"));
        assertEquals(200, ok.statusCode(), ok.body());
        JWTClaimsSet claims = SignedJWT.parse((String) json(ok).get("access_token")).getJWTClaimsSet();
        assertNotEquals(client.id(), claims.getSubject(), "the token is the user's");
        assertEquals(client.id(), claims.getStringClaim("client_id"));
        assertNull(claims.getClaim("auth_time"), "no user authenticated: no auth_time");
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", assertion)), 400, "invalid_grant", "already used");
        String nobody = assertion(key, client.id(), "nobody-" + UUID.randomUUID(), issuer() + "/token", UUID.randomUUID().toString());
        assertError(browser.postForm(issuer() + "/token", form("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", nobody)), 400, "invalid_grant", "no admin allowed this client to act for that user");
    }

    @Test
    void introspectionNeedsAConfidentialClient() {
        Browser browser = new Browser();
        String publicId = (String) register(browser, publicApp()).get("client_id");
        assertError(browser.postForm(issuer() + "/introspect", form("token", "x", "client_id", publicId)), 400, "invalid_client", "public");
        assertError(browser.postForm(issuer() + "/introspect", form("token", "x")), 400, "invalid_client", "");
        Registered resourceServer = resourceServer(browser);
        assertEquals(false, introspect(browser, resourceServer, "eyJhbGciOiJSUzI1NiJ9.e30.AAAA").get("active"));
    }

    @Test
    void logoutEndsTheSessionAndReturnsToARegisteredUri() {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        JSONObject tokens = json(exchange(browser, clientId, signInAndConsent(browser, clientId, pkce, "openid", List.of("openid")), pkce.verifier));
        HttpResponse<String> logout = browser.get(issuer() + "/logout?id_token_hint=" + tokens.get("id_token")
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
        assertEquals(LOGGED_OUT + "?state=bye", location(logout));
        String callback = location(browser.get(authorizeUrl(clientId, new Pkce(), "openid", "s", "&prompt=none")));
        assertEquals("login_required", queryParam(callback, "error"), "the session is gone");
        HttpResponse<String> foreign = browser.get(issuer() + "/logout?client_id=" + clientId + "&post_logout_redirect_uri=" + enc("https://evil.example/"));
        assertEquals(400, foreign.statusCode());
        assertTrue(foreign.headers().firstValue("Location").isEmpty());
    }

    @Test
    void corsPreflightIsAnsweredOnlyForTrustedOrigins() {
        Browser browser = new Browser();
        register(browser, publicApp());
        HttpResponse<String> trusted = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(issuer() + "/token"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP_ORIGIN).header("Access-Control-Request-Method", "POST").build());
        assertEquals(204, trusted.statusCode(), trusted.body());
        assertEquals(APP_ORIGIN, trusted.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> untrusted = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(issuer() + "/token"))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build());
        assertEquals(403, untrusted.statusCode());
        assertTrue(untrusted.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

        // A newly registered origin is trusted at once, and an answer that depends on the Origin says so to caches.
        String origin = "http://127.0.0.1:" + (20000 + new java.util.Random().nextInt(40000));
        java.util.function.Supplier<HttpResponse<String>> tokenCall = () -> browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(issuer() + "/token"))
                .header("Origin", origin).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=unknown")).build());
        HttpResponse<String> before = tokenCall.get();
        assertEquals(400, before.statusCode(), before.body());
        assertTrue(before.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
        assertTrue(String.join(",", before.headers().allValues("Vary")).contains("Origin"), before.headers().toString());
        register(browser, publicApp().replace(APP_ORIGIN, origin));
        HttpResponse<String> after = tokenCall.get();
        assertEquals(origin, after.headers().firstValue("Access-Control-Allow-Origin").orElse(""), "trusted right after registration");
    }

    // --- users, admin API, EHR launch ------------------------------------------------------

    @Test
    void adminApiNeedsAnAdminsTokenAndSaysWhy() {
        Browser browser = new Browser();
        HttpResponse<String> none = browser.postJson(baseUrl() + "/admin/api/launches", "{\"patient\":\"1\"}");
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").contains("No access token"));
        String admin = adminToken();
        String username = "clinician-" + UUID.randomUUID();
        createUser(admin, username, "Practitioner/prac-1", "[]");
        String userToken = userToken(username, "correct horse battery");
        HttpResponse<String> notAdmin = browser.postJson(baseUrl() + "/admin/api/launches", "{\"patient\":\"1\"}",
                "Authorization", "Bearer " + userToken);
        assertEquals(403, notAdmin.statusCode());
        assertEquals("insufficient_role", json(notAdmin).get("error"));
        HttpResponse<String> badUser = browser.postJson(baseUrl() + "/admin/api/users",
                "{\"username\":\"x y\",\"password\":\"long enough\"}", "Authorization", "Bearer " + admin);
        assertEquals(400, badUser.statusCode());
        assertEquals("username", json(badUser).get("field"));
        HttpResponse<String> badJson = browser.postJson(baseUrl() + "/admin/api/users", "{\"username\":", "Authorization", "Bearer " + admin);
        assertEquals(400, badJson.statusCode());
        assertEquals("invalid_input", json(badJson).get("error"));
    }

    @Test
    void aUsersFhirUserIsInTheIdTokenAndUserinfo() throws ParseException {
        String admin = adminToken();
        String username = "patient-" + UUID.randomUUID();
        createUser(admin, username, "Patient/pat-7", "[]");
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        String code = signInAndConsent(browser, clientId, pkce, "openid fhirUser", List.of("openid", "fhirUser"), username, "correct horse battery");
        JSONObject tokens = json(exchange(browser, clientId, code, pkce.verifier));
        assertEquals(fhirBase() + "/Patient/pat-7", SignedJWT.parse((String) tokens.get("id_token")).getJWTClaimsSet().getStringClaim("fhirUser"));
        HttpResponse<String> userinfo = browser.get(issuer() + "/userinfo", "Authorization", "Bearer " + tokens.get("access_token"));
        assertEquals(fhirBase() + "/Patient/pat-7", json(userinfo).get("fhirUser"));
    }

    @Test
    void repeatedWrongPasswordsSlowSignInDownWithTheSameAnswerAsAnUnknownName() {
        String username = "throttled-" + UUID.randomUUID();
        createUser(adminToken(), username, null, "[]");
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> login = browser.get(location(browser.get(authorizeUrl(clientId, new Pkce(), "openid", "s", ""))));
        Map<String, List<String>> form = Browser.hiddenFields(login.body());
        form.put("username", List.of(username));
        String first = null;
        for (int i = 0; i < 5; i++) {
            form.put("password", List.of("wrong " + i));
            HttpResponse<String> wrong = browser.postForm(issuer() + "/login", form);
            assertEquals(401, wrong.statusCode());
            first = first == null ? alert(wrong.body()) : first;
            assertEquals(first, alert(wrong.body()), "every failure reads the same");
        }
        form.put("password", List.of("correct horse battery"));
        HttpResponse<String> waiting = browser.postForm(issuer() + "/login", form);
        assertEquals(401, waiting.statusCode(), "even the right password waits while the name is throttled");
        assertEquals(first, alert(waiting.body()), "a throttled account answers like a wrong password");
        form.put("username", List.of("nobody-" + UUID.randomUUID()));
        HttpResponse<String> unknown = browser.postForm(issuer() + "/login", form);
        assertEquals(first, alert(unknown.body()), "an unknown name answers the same: the page tells no account from another");
        HttpResponse<String> lifted = browser.json("DELETE", baseUrl() + "/admin/api/sign-in-throttles?key=" + enc("user:" + username), null,
                "Authorization", "Bearer " + adminToken());
        assertEquals(204, lifted.statusCode(), lifted.body());
        form.put("username", List.of(username));
        HttpResponse<String> signedIn = browser.postForm(issuer() + "/login", form);
        assertEquals(303, signedIn.statusCode(), "once an admin lifts the throttle, the right password signs in: " + signedIn.body());
    }

    static String alert(String html) {
        int start = html.indexOf("role=\"alert\">");
        return start < 0 ? null : html.substring(start, html.indexOf('<', start));
    }

    @Test
    void ehrLaunchCarriesThePatientIntoTheTokenResponse() {
        String admin = adminToken();
        Browser browser = new Browser();
        HttpResponse<String> missing = browser.postJson(baseUrl() + "/admin/api/launches", "{\"patient\":\"pat-42-nowhere\"}",
                "Authorization", "Bearer " + admin);
        assertEquals(400, missing.statusCode(), "a launch on a patient that is not there: " + missing.body());
        assertEquals("patient", json(missing).get("field"));
        String system = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        for (String[] resource : List.of(new String[] {"Patient/pat-42", "{\"resourceType\":\"Patient\",\"id\":\"pat-42\"}"},
                new String[] {"Encounter/enc-9", "{\"resourceType\":\"Encounter\",\"id\":\"enc-9\",\"status\":\"finished\","
                        + "\"class\":{\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/pat-42\"}}"})) {
            HttpResponse<String> put = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/" + resource[0]))
                    .header("Authorization", "Bearer " + system).header("Content-Type", "application/fhir+json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(resource[1])).build());
            assertTrue(put.statusCode() == 200 || put.statusCode() == 201, put.body());
        }
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> created = browser.postJson(baseUrl() + "/admin/api/launches", "{\"patient\":\"pat-42\",\"encounter\":\"enc-9\","
                + "\"client_id\":\"" + clientId + "\"}", "Authorization", "Bearer " + admin);
        assertEquals(201, created.statusCode(), created.body());
        String launch = (String) json(created).get("launch");
        Pkce pkce = new Pkce();
        HttpResponse<String> consent = signIn(browser, clientId, pkce, "launch openid patient/*.rs", "&launch=" + enc(launch));
        Map<String, List<String>> form = Browser.hiddenFields(consent.body());
        form.put("decision", List.of("approve"));
        form.put("scope", List.of("launch", "openid", "patient/*.rs"));
        JSONObject tokens = json(exchange(browser, clientId, code(browser.postForm(issuer() + "/consent", form)), pkce.verifier));
        assertEquals("pat-42", tokens.get("patient"));
        assertEquals("enc-9", tokens.get("encounter"));
        assertEquals(issuer() + "/smart-style.json", tokens.get("smart_style_url"));
        assertEquals(200, browser.get((String) tokens.get("smart_style_url")).statusCode());
        String again = location(browser.get(authorizeUrl(clientId, new Pkce(), "launch openid", "s", "&launch=" + enc(launch))));
        assertEquals("invalid_request", queryParam(again, "error"), "a launch handle is good once: " + again);
        String unknown = location(browser.get(authorizeUrl(clientId, new Pkce(), "launch openid", "s", "&launch=no-such-launch")));
        assertEquals("invalid_request", queryParam(unknown, "error"));
        HttpResponse<String> badPatient = browser.postJson(baseUrl() + "/admin/api/launches", "{\"patient\":\"../etc\"}",
                "Authorization", "Bearer " + admin);
        assertEquals(400, badPatient.statusCode());
        assertEquals("patient", json(badPatient).get("field"));
    }

    @Test
    void adminDefinedScopeDescriptionsShowOnTheConsentPageInJapanese() {
        String admin = adminToken();
        Browser browser = new Browser();
        HttpResponse<String> described = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/admin/api/scopes"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"patient/Immunization.rs\",\"description_en\":"
                        + "\"See your vaccinations\",\"description_ja\":\"予防接種の記録を見る\"}")).build());
        assertEquals(200, described.statusCode(), described.body());
        String clientId = (String) register(browser, publicApp()).get("client_id");
        HttpResponse<String> consent = signIn(browser, clientId, new Pkce(), "openid patient/Immunization.rs", "&ui_locales=ja");
        assertTrue(consent.body().contains("予防接種の記録を見る"), consent.body());
        HttpResponse<String> bad = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/admin/api/scopes"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"has space\",\"description_en\":\"x\"}")).build());
        assertEquals(400, bad.statusCode());
        assertEquals("name", json(bad).get("field"));
    }

    @Test
    void aClientsOwnAccessTokenLifetimeApplies() {
        Browser browser = new Browser();
        JSONObject registered = register(browser, "{\"client_name\":\"short-lived\",\"grant_types\":[\"client_credentials\"],"
                + "\"scope\":\"system/*.rs\",\"bastion_access_token_lifetime\":120}");
        Registered client = new Registered((String) registered.get("client_id"), (String) registered.get("client_secret"), null);
        trust(client.id(), "{\"approved_grant_types\":[\"client_credentials\"],\"approved_scope\":\"system/*.rs\"}");
        JSONObject token = json(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"), "Authorization", client.basic()));
        assertEquals(120L, ((Number) token.get("expires_in")).longValue());
        HttpResponse<String> invalid = postRegistration(browser, "{\"grant_types\":[\"client_credentials\"],\"bastion_access_token_lifetime\":5}");
        assertEquals("invalid_client_metadata", json(invalid).get("error"));
    }

    @Test
    void standaloneLaunchLetsTheUserPickThePatient() {
        Browser browser = new Browser();
        Registered service = confidential(browser, "client_credentials", "system/*.*");
        String serviceToken = (String) json(browser.postForm(issuer() + "/token", form("grant_type", "client_credentials"),
                "Authorization", service.basic())).get("access_token");
        String family = "Picker" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/Patient"))
                .header("Authorization", "Bearer " + serviceToken).header("Content-Type", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                        + family + "\",\"given\":[\"Hanako\"]}],\"birthDate\":\"1985-02-03\"}")).build());
        assertEquals(201, created.statusCode(), created.body());
        String patientId = (String) json(created).get("id");

        // a clinician an admin granted this one patient: the picker offers only what they reach
        String clinician = "picker-" + UUID.randomUUID();
        createUserWithId(adminToken(), clinician, ",\"fhirUser\":\"Practitioner/p-" + family + "\",\"patients\":[\"" + patientId + "\"]");
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        HttpResponse<String> consent = signIn(browser, clientId, pkce, "openid launch/patient patient/*.rs", "", clinician, "correct horse battery");
        String request = Browser.hiddenFields(consent.body()).get("request").get(0);
        HttpResponse<String> searched = browser.get(issuer() + "/consent?request=" + enc(request) + "&patient_q=" + enc(family.toLowerCase()));
        assertTrue(searched.body().contains("value=\"" + patientId + "\""), "the picker lists the matching patient: " + searched.body());
        assertTrue(searched.body().contains("Hanako " + family), searched.body());
        Map<String, List<String>> form = Browser.hiddenFields(searched.body().substring(searched.body().indexOf("method=\"post\"")));
        form.put("decision", List.of("approve"));
        form.put("scope", List.of("openid", "launch/patient", "patient/*.rs"));
        HttpResponse<String> noPatient = browser.postForm(issuer() + "/consent", form);
        assertEquals(400, noPatient.statusCode(), "a patient must be chosen");
        assertTrue(noPatient.body().contains("Choose a patient"), noPatient.body());
        form.put("patient", List.of(patientId));
        JSONObject tokens = json(exchange(browser, clientId, code(browser.postForm(issuer() + "/consent", form)), pkce.verifier));
        assertEquals(patientId, tokens.get("patient"));
        assertEquals(true, tokens.get("need_patient_banner"));
    }
}
