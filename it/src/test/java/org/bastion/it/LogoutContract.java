package org.bastion.it;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.bastion.it.Browser.json;
import static org.bastion.it.Browser.location;
import static org.bastion.it.Browser.queryParam;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0) and the names and hosts users
 * trust on the pages, tried as an attacker would, each next to the honest path: a logout link
 * without proof only asks, a forged or foreign ID token proves nothing, an unregistered URI is
 * never followed; a self-registered client cannot pass for one of Bastion's own, and the consent
 * page says where the browser goes back to.
 */
abstract class LogoutContract extends OAuthClientSupport {

    private static final String APP_CALLBACK = "https://app.example.org/callback";
    private static final String SIGN_OUT_QUESTION = "<h1>Sign out of Bastion?</h1>";
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** A browser signed in as the admin to a fresh public app that consented to openid, and the app's id and tokens. */
    private record SignedIn(Browser browser, String clientId, JSONObject tokens) {
        String idToken() {
            return (String) tokens.get("id_token");
        }
    }

    private SignedIn signedIn() {
        return signedIn("admin", adminPassword());
    }

    private SignedIn signedIn(String username, String password) {
        Browser browser = new Browser();
        String clientId = (String) register(browser, publicApp()).get("client_id");
        Pkce pkce = new Pkce();
        HttpResponse<String> tokens = exchange(browser, clientId,
                signInAndConsent(browser, clientId, pkce, "openid", List.of("openid"), username, password), pkce.verifier);
        assertEquals(200, tokens.statusCode(), tokens.body());
        return new SignedIn(browser, clientId, json(tokens));
    }

    /** The session stands when a prompt-less authorization gets a code, not login_required. */
    private void assertStillSignedIn(SignedIn user) {
        String callback = location(user.browser().get(authorizeUrl(user.clientId(), new Pkce(), "openid", "s", "&prompt=none")));
        assertNotNull(queryParam(callback, "code"), "the sign-in session should still stand: " + callback);
    }

    private void assertSignedOut(SignedIn user) {
        String callback = location(user.browser().get(authorizeUrl(user.clientId(), new Pkce(), "openid", "s", "&prompt=none")));
        assertEquals("login_required", queryParam(callback, "error"), "the sign-in session should be gone: " + callback);
    }

    private HttpResponse<String> logout(Browser browser, String query) {
        return browser.get(issuer() + "/logout?" + query);
    }

    private static void assertNoRedirect(HttpResponse<String> response) {
        assertTrue(response.headers().firstValue("Location").isEmpty(), "no redirect: " + response.headers().map());
    }

    /** The ID token's claims, signed again: with another key, by another issuer, expired … */
    private static String resigned(String idToken, RSAKey key, java.util.function.UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(idToken).getJWTClaimsSet();
        return Tokens.sign(change.apply(new JWTClaimsSet.Builder(claims)).build(), key, JOSEObjectType.JWT);
    }

    // --- a logout request without proof only asks -------------------------------------------

    @Test
    void aLogoutLinkWithoutIdTokenHintOnlyAsksAndTheSessionStays() {
        SignedIn user = signedIn();
        HttpResponse<String> question = logout(user.browser(), "client_id=" + enc(user.clientId())
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
        assertEquals(200, question.statusCode(), question.body());
        assertNoRedirect(question);
        assertTrue(question.body().contains(SIGN_OUT_QUESTION), question.body());
        assertTrue(question.body().contains("IT SMART App asks to sign you out of Bastion."), question.body());
        assertStillSignedIn(user);

        HttpResponse<String> bare = logout(user.browser(), "");
        assertEquals(200, bare.statusCode(), bare.body());
        assertTrue(bare.body().contains(SIGN_OUT_QUESTION), bare.body());
        HttpResponse<String> japanese = logout(user.browser(), "ui_locales=ja");
        assertTrue(japanese.body().contains("<h1>Bastion からログアウトしますか？</h1>"), japanese.body());
        assertStillSignedIn(user);
    }

    @Test
    void confirmingTheQuestionSignsOutAndReturnsOnlyToTheClientsRegisteredUri() {
        SignedIn user = signedIn();
        HttpResponse<String> question = logout(user.browser(), "client_id=" + enc(user.clientId())
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
        Map<String, List<String>> form = Browser.hiddenFields(question.body());
        HttpResponse<String> confirmed = user.browser().postForm(issuer() + "/logout", form);
        assertEquals(303, confirmed.statusCode(), confirmed.body());
        assertEquals(LOGGED_OUT + "?state=bye", location(confirmed));
        assertSignedOut(user);

        // a confirmation whose hidden URI was changed to another site signs out, but goes nowhere
        SignedIn other = signedIn();
        Map<String, List<String>> tampered = Browser.hiddenFields(logout(other.browser(), "client_id=" + enc(other.clientId())).body());
        tampered.put("post_logout_redirect_uri", List.of("https://evil.example/"));
        HttpResponse<String> signedOut = other.browser().postForm(issuer() + "/logout", tampered);
        assertEquals(200, signedOut.statusCode(), signedOut.body());
        assertNoRedirect(signedOut);
        assertTrue(signedOut.body().contains("You have signed out"), signedOut.body());
        assertSignedOut(other);
    }

    @Test
    void theSignOutFormNeedsThisBrowsersToken() {
        SignedIn user = signedIn();
        Map<String, List<String>> form = Browser.hiddenFields(logout(user.browser(), "client_id=" + enc(user.clientId())).body());
        assertTrue(form.containsKey("csrf"), form.toString());

        Map<String, List<String>> forged = new java.util.LinkedHashMap<>(form);
        forged.put("csrf", List.of("forged"));
        assertEquals(403, user.browser().postForm(issuer() + "/logout", forged).statusCode());
        // a post from another site carries no cookie of this browser: the same as another browser's post
        assertEquals(403, new Browser().postForm(issuer() + "/logout", form).statusCode());
        assertStillSignedIn(user);

        assertEquals(200, user.browser().postForm(issuer() + "/logout", form).statusCode(), "the page's own form signs out");
        assertSignedOut(user);
    }

    // --- only an ID token this server signed, for this user and client, proves the request ----

    @Test
    void aForgedOrForeignIdTokenHintIsNotAccepted() throws Exception {
        SignedIn user = signedIn();
        RSAKey bastionKey = TestSigningKey.get();
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(bastionKey.getKeyID()).generate();
        JWTClaimsSet claims = SignedJWT.parse(user.idToken()).getJWTClaimsSet();
        Map<String, String> hints = Map.of(
                "signed with another key under the server's kid", resigned(user.idToken(), impostor, c -> c),
                "signed by the server's key, but naming another issuer", resigned(user.idToken(), bastionKey, c -> c.issuer("https://evil.example/oauth2")),
                "alg none", new PlainJWT(claims).serialize(),
                "an access token, not an ID token", (String) user.tokens().get("access_token"),
                "not a JWT", "not-a-token");
        for (Map.Entry<String, String> hint : hints.entrySet()) {
            HttpResponse<String> response = logout(user.browser(), "id_token_hint=" + enc(hint.getValue()) + "&client_id="
                    + enc(user.clientId()) + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
            assertEquals(200, response.statusCode(), hint.getKey() + ": " + response.body());
            assertNoRedirect(response);
            assertTrue(response.body().contains(SIGN_OUT_QUESTION), hint.getKey() + ": " + response.body());
            assertStillSignedIn(user);
        }

        // the honest hint, signed the same way but by this issuer, works: the key above was the server's
        HttpResponse<String> genuine = logout(user.browser(), "id_token_hint=" + enc(resigned(user.idToken(), bastionKey, c -> c))
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
        assertEquals(LOGGED_OUT + "?state=bye", location(genuine));
        assertSignedOut(user);
    }

    @Test
    void aHintForAnotherClientOrAnotherUserDoesNotSignOut() {
        SignedIn user = signedIn();
        String otherClient = (String) register(user.browser(), publicApp()).get("client_id");
        HttpResponse<String> mismatch = logout(user.browser(), "id_token_hint=" + enc(user.idToken()) + "&client_id=" + enc(otherClient)
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT));
        assertEquals(400, mismatch.statusCode(), mismatch.body());
        assertNoRedirect(mismatch);
        assertTrue(mismatch.body().contains("is not the one the ID token was issued to"), mismatch.body());
        assertStillSignedIn(user);

        String username = "logout-" + run;
        createUser(adminToken(), username, null, "[\"user\"]");
        SignedIn someoneElse = signedIn(username, "correct horse battery");
        HttpResponse<String> foreign = logout(user.browser(), "id_token_hint=" + enc(someoneElse.idToken())
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
        assertEquals(200, foreign.statusCode(), foreign.body());
        assertNoRedirect(foreign);
        assertTrue(foreign.body().contains(SIGN_OUT_QUESTION), foreign.body());
        assertStillSignedIn(user);
    }

    @Test
    void theClientsOwnLogoutReturnsWithItsStateAndEndsTheSession() {
        SignedIn user = signedIn();
        HttpResponse<String> logout = logout(user.browser(), "id_token_hint=" + enc(user.idToken()) + "&client_id=" + enc(user.clientId())
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=" + enc("bye now"));
        assertEquals(303, logout.statusCode(), logout.body());
        assertEquals("bye now", queryParam(location(logout), "state"));
        assertTrue(location(logout).startsWith(LOGGED_OUT + "?state="), location(logout));
        assertSignedOut(user);

        SignedIn withoutUri = signedIn();
        HttpResponse<String> page = logout(withoutUri.browser(), "id_token_hint=" + enc(withoutUri.idToken()));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("You have signed out"), page.body());
        assertSignedOut(withoutUri);
    }

    @Test
    void anExpiredIdTokenOfThisServerIsStillAHint() throws Exception {
        SignedIn user = signedIn();
        Instant past = Instant.now().minusSeconds(7200);
        String expired = resigned(user.idToken(), TestSigningKey.get(),
                c -> c.issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(300))));
        HttpResponse<String> logout = logout(user.browser(), "id_token_hint=" + enc(expired)
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT) + "&state=bye");
        assertEquals(LOGGED_OUT + "?state=bye", location(logout));
        assertSignedOut(user);
    }

    // --- an unregistered post_logout_redirect_uri is never followed ------------------------------

    @Test
    void anUnregisteredPostLogoutRedirectUriIsNeverFollowed() {
        SignedIn user = signedIn();
        for (String uri : List.of("https://evil.example/", LOGGED_OUT + "/x", LOGGED_OUT + "?next=https://evil.example/")) {
            HttpResponse<String> withHint = logout(user.browser(), "id_token_hint=" + enc(user.idToken())
                    + "&post_logout_redirect_uri=" + enc(uri) + "&state=bye");
            assertEquals(400, withHint.statusCode(), uri + ": " + withHint.body());
            assertNoRedirect(withHint);
            assertTrue(withHint.body().contains("is not registered for application"), withHint.body());
            HttpResponse<String> withoutHint = logout(user.browser(), "client_id=" + enc(user.clientId())
                    + "&post_logout_redirect_uri=" + enc(uri));
            assertEquals(400, withoutHint.statusCode(), uri + ": " + withoutHint.body());
            assertNoRedirect(withoutHint);
            assertFalse(withoutHint.body().contains("name=\"csrf\""), "no form that could confirm it: " + withoutHint.body());
        }
        HttpResponse<String> noClient = logout(user.browser(), "post_logout_redirect_uri=" + enc(LOGGED_OUT));
        assertEquals(400, noClient.statusCode(), noClient.body());
        assertNoRedirect(noClient);
        assertStillSignedIn(user);

        HttpResponse<String> registered = logout(user.browser(), "id_token_hint=" + enc(user.idToken())
                + "&post_logout_redirect_uri=" + enc(LOGGED_OUT));
        assertEquals(LOGGED_OUT, location(registered), "the registered URI, exactly");
        assertSignedOut(user);
    }

    // --- a self-registered client cannot pass for one of Bastion's own ----------------------

    @Test
    void aSelfRegisteredClientCannotTakeTheNameOfABuiltInClient() {
        Browser browser = new Browser();
        for (String name : List.of("Bastion console", "Bastion Console", "\\uFF22\\uFF21\\uFF33\\uFF34\\uFF29\\uFF2F\\uFF2E console",
                "B\\u0430stion console", "  Bastion   console ", "My Bastion helper", "Postman")) {
            assertError(postRegistration(browser, publicApp().replace("IT SMART App", name)), 400, "invalid_client_metadata", "client_name");
        }
        assertError(postRegistration(browser, publicApp().replace("\"client_name\":\"IT SMART App\"",
                "\"client_name\":\"Growth chart\",\"client_name#ja\":\"Bastion console\"")), 400, "invalid_client_metadata", "client_name#ja");

        JSONObject honest = register(browser, publicApp().replace("IT SMART App", "Logout IT " + run));
        assertEquals("Logout IT " + run, honest.get("client_name"));

        // nor can it take the name later, by its own RFC 7592 update
        String clientUri = issuer() + "/register/" + honest.get("client_id");
        String token = "Bearer " + honest.get("registration_access_token");
        assertError(browser.json("PUT", clientUri, publicApp().replace("IT SMART App", "Bastion console"), "Authorization", token),
                400, "invalid_client_metadata", "client_name");
        assertEquals("Logout IT " + run, json(browser.get(clientUri, "Authorization", token)).get("client_name"));
        HttpResponse<String> renamed = browser.json("PUT", clientUri, publicApp().replace("IT SMART App", "Logout IT renamed " + run),
                "Authorization", token);
        assertEquals(200, renamed.statusCode(), renamed.body());

        // an admin's client is the admin's to name
        HttpResponse<String> byAdmin = browser.postJson(baseUrl() + "/admin/api/clients", "{\"client_name\":\"Bastion reports " + run
                + "\",\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/Patient.rs\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, byAdmin.statusCode(), byAdmin.body());
    }

    @Test
    void theConsentPageShowsTheHostTheBrowserReturnsTo() {
        String clientId = (String) register(new Browser(), "{\"client_name\":\"Growth chart " + run + "\",\"redirect_uris\":[\"" + CALLBACK
                + "\",\"" + APP_CALLBACK + "\"],\"token_endpoint_auth_method\":\"none\",\"grant_types\":[\"authorization_code\"]}").get("client_id");
        String english = consentPage(clientId, APP_CALLBACK, "");
        assertTrue(english.contains("You will return to <strong>app.example.org</strong>"), english);
        String japanese = consentPage(clientId, APP_CALLBACK, "&ui_locales=ja");
        assertTrue(japanese.contains("完了後は <strong>app.example.org</strong> に戻ります"), japanese);
        String local = consentPage(clientId, CALLBACK, "");
        assertTrue(local.contains("You will return to <strong>localhost</strong>"), local);
    }

    /** A new browser through authorize and sign-in as the admin: the consent page. */
    private String consentPage(String clientId, String redirectUri, String extra) {
        Browser browser = new Browser();
        Pkce pkce = new Pkce();
        String loginUrl = location(browser.get(issuer() + "/authorize?response_type=code&client_id=" + enc(clientId) + "&redirect_uri="
                + enc(redirectUri) + "&scope=openid&state=s&code_challenge=" + pkce.challenge + "&code_challenge_method=S256" + extra));
        assertTrue(loginUrl.startsWith(issuer() + "/login?request="), loginUrl);
        Map<String, List<String>> form = Browser.hiddenFields(browser.get(loginUrl).body());
        form.put("username", List.of("admin"));
        form.put("password", List.of(adminPassword()));
        String consentUrl = location(browser.postForm(issuer() + "/login", form));
        assertTrue(consentUrl.startsWith(issuer() + "/consent?request="), consentUrl);
        HttpResponse<String> consent = browser.get(consentUrl);
        assertEquals(200, consent.statusCode(), consent.body());
        return consent.body();
    }
}
