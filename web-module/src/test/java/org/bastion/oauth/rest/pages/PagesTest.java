package org.bastion.oauth.rest.pages;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagesTest {

    private static final String ACTION = "http://localhost:8080/oauth2/login";

    private final Pages pages = new Pages();

    @Test
    void uiLocalesChooseTheLanguage() {
        assertEquals(Locale.JAPANESE, pages.locale("ja", List.of()));
        assertEquals(Locale.JAPANESE, pages.locale("fr ja-JP", List.of(Locale.ENGLISH)));
        assertEquals(Locale.ENGLISH, pages.locale("en-GB ja", List.of(Locale.JAPANESE)));
        assertEquals(Locale.ENGLISH, pages.locale("fr", List.of()));
    }

    @Test
    void acceptLanguageIsUsedWhenUiLocalesNamesNoSupportedLanguage() {
        assertEquals(Locale.JAPANESE, pages.locale(null, List.of(Locale.JAPAN)));
        assertEquals(Locale.JAPANESE, pages.locale("", List.of(Locale.FRENCH, Locale.forLanguageTag("ja"))));
        assertEquals(Locale.JAPANESE, pages.locale("de", List.of(Locale.JAPANESE, Locale.ENGLISH)));
        assertEquals(Locale.ENGLISH, pages.locale(null, List.of(Locale.FRENCH)));
        assertEquals(Locale.ENGLISH, pages.locale(null, null));
    }

    @Test
    void accountPageListsEachAppWithItsRevokeFormAndEscapesWhatAppsChose() {
        AccountPage.App app = new AccountPage.App("client\"1", "<img src=x onerror=alert(1)>", List.of("openid", "patient/*.rs"), "p-1",
                java.time.Instant.parse("2026-12-01T10:15:30Z"), null);
        String html = pages.account(Locale.ENGLISH, new AccountPage("http://localhost:8080/oauth2/account", "http://localhost:8080/oauth2/logout",
                "tok<en>", "alice", List.of(app), "Old <b>App</b>"));

        assertFalse(html.contains("<img src=x"), html);
        assertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), html);
        assertTrue(html.contains("action=\"http://localhost:8080/oauth2/account/revoke\""), html);
        assertTrue(html.contains("name=\"client_id\" value=\"client&quot;1\""), html);
        assertEquals(2, html.split("name=\"csrf\" value=\"tok&lt;en&gt;\"", -1).length - 1, "the revoke and the sign-out forms carry the token");
        assertTrue(html.contains("patient/*.rs") && html.contains("Patient/p-1") && html.contains("2026-12-01 10:15 UTC"), html);
        assertTrue(html.contains("data-test=\"last-used\">Not yet"), html);
        assertTrue(html.contains("Old &lt;b&gt;App&lt;/b&gt;"), "the revoked app's name, escaped: " + html);
        assertFalse(html.contains("<script"), "no script at all");

        String ja = pages.account(Locale.JAPANESE, new AccountPage("a", "l", "t", "alice", List.of(), null));
        assertTrue(ja.contains("lang=\"ja\"") && ja.contains("許可しているアプリケーションはありません"), ja);
        String signIn = pages.login(Locale.ENGLISH, new LoginPage("a", null, "t", null, null, null));
        assertTrue(signIn.contains("Sign in to see the apps you allowed"), signIn);
    }

    @Test
    void loginPageEscapesEveryValue() {
        String html = pages.login(Locale.ENGLISH, new LoginPage(ACTION + "?a=1&b=2", "req\"1", "tok<en>",
                "<script>alert(1)</script>", "\"><img src=x>", null));

        assertFalse(html.contains("<script>alert(1)</script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertFalse(html.contains("\"><img src=x>"), html);
        assertTrue(html.contains("value=\"&quot;&gt;&lt;img src=x&gt;\""), html);
        assertTrue(html.contains("action=\"http://localhost:8080/oauth2/login?a=1&amp;b=2\""), html);
        assertTrue(html.contains("name=\"request\" value=\"req&quot;1\""), html);
        assertTrue(html.contains("name=\"csrf\" value=\"tok&lt;en&gt;\""), html);
        assertFalse(html.contains("<script"), "no script at all");
    }

    @Test
    void loginPageHasTheFormAndShowsTheError() {
        String html = pages.login(Locale.ENGLISH, new LoginPage(ACTION, "r1", "c1", "Growth Chart", null,
                new Message("login.error.invalid")));

        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<html lang=\"en\">"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"" + ACTION + "\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"request\" value=\"r1\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"c1\">"), html);
        assertTrue(html.contains("autocomplete=\"username\""), html);
        assertTrue(html.contains("type=\"password\" autocomplete=\"current-password\" required"), html);
        assertTrue(html.contains("Sign in to continue to Growth Chart"), html);
        assertTrue(html.contains("role=\"alert\">Sign-in failed. Check the username and password; after several failed attempts, wait a minute before trying again.<"), html);

        String withoutError = pages.login(Locale.ENGLISH, new LoginPage(ACTION, "r1", "c1", "Growth Chart", "alice", null));
        assertFalse(withoutError.contains("role=\"alert\""), withoutError);
        assertTrue(withoutError.contains("value=\"alice\""), withoutError);
    }

    @Test
    void japaneseLoginPage() {
        String html = pages.login(Locale.JAPANESE, new LoginPage(ACTION, "r1", "c1", "成長曲線", null,
                new Message("login.error.invalid")));

        assertTrue(html.contains("<html lang=\"ja\">"), html);
        assertTrue(html.contains("ログイン"), html);
        assertTrue(html.contains("パスワード"), html);
        assertTrue(html.contains("成長曲線 を利用するにはログインしてください"), html);
        assertTrue(html.contains("ログインできませんでした。ユーザー名とパスワードを確認してください。"), html);
        assertFalse(html.contains("Sign in"), html);
    }

    @Test
    void consentPageRendersEachScopeWithItsCheckedState() {
        String html = pages.consent(Locale.ENGLISH, new ConsentPage(ACTION, "r1", "c1", "Growth <Chart>", "alice",
                List.of(new ScopeChoice("openid", "Confirm your identity", true),
                        new ScopeChoice("patient/Observation.rs", "Read and search Observation data", false))));

        assertTrue(html.contains("Growth &lt;Chart&gt; is requesting access"), html);
        assertTrue(html.contains("Signed in as <strong>alice</strong>"), html);
        assertTrue(html.contains("<input type=\"checkbox\" name=\"scope\" value=\"openid\" checked>"), html);
        assertTrue(html.contains("<input type=\"checkbox\" name=\"scope\" value=\"patient/Observation.rs\">"), html);
        assertTrue(html.contains(">patient/Observation.rs</code>"), html);
        assertTrue(html.contains("Read and search Observation data"), html);
        assertTrue(html.contains("name=\"decision\" value=\"approve\">Allow</button>"), html);
        assertTrue(html.contains("name=\"decision\" value=\"deny\">Deny</button>"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"request\" value=\"r1\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"c1\">"), html);
        assertTrue(html.contains("Permissions you untick are not granted."), html);
    }

    @Test
    void consentPageShowsTheHostTheBrowserReturnsTo() {
        String html = pages.consent(Locale.ENGLISH, new ConsentPage(ACTION, "r1", "c1", "Bastion c<o>nsole", "alice",
                List.of(), null, null, true, "app.example.org"));
        assertTrue(html.contains("You will return to <strong>app.example.org</strong>"), html);

        String japanese = pages.consent(Locale.JAPANESE, new ConsentPage(ACTION, "r1", "c1", "成長曲線", "alice",
                List.of(), null, null, false, "app.example.org"));
        assertTrue(japanese.contains("完了後は <strong>app.example.org</strong> に戻ります"), japanese);

        String withoutHost = pages.consent(Locale.ENGLISH, new ConsentPage(ACTION, "r1", "c1", "Growth Chart", "alice", List.of()));
        assertFalse(withoutHost.contains("data-test=\"return-host\""), withoutHost);
    }

    @Test
    void signOutQuestionPostsTheClientsRequestBackWithTheFormToken() {
        String html = pages.logout(Locale.ENGLISH, new LogoutPage("http://localhost:8080/oauth2/logout", "c1", "app-1",
                "Growth <Chart>", "https://app.example.org/bye?a=1&b=2", "s\"1", null));

        assertTrue(html.contains("<h1>Sign out of Bastion?</h1>"), html);
        assertTrue(html.contains("Growth &lt;Chart&gt; asks to sign you out of Bastion."), html);
        assertTrue(html.contains("<form method=\"post\" action=\"http://localhost:8080/oauth2/logout\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"csrf\" value=\"c1\">"), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"client_id\" value=\"app-1\">"), html);
        assertTrue(html.contains("name=\"post_logout_redirect_uri\" value=\"https://app.example.org/bye?a=1&amp;b=2\""), html);
        assertTrue(html.contains("<input type=\"hidden\" name=\"state\" value=\"s&quot;1\">"), html);
        assertFalse(html.contains("name=\"ui_locales\""), html);
        assertTrue(html.contains("If you did not ask to sign out, close this page: you stay signed in."), html);

        String japanese = pages.logout(Locale.JAPANESE, new LogoutPage("http://localhost:8080/oauth2/logout", "c1", null, null,
                null, null, "ja"));
        assertTrue(japanese.contains("<h1>Bastion からログアウトしますか？</h1>"), japanese);
        assertTrue(japanese.contains("アプリケーションが Bastion からのログアウトを求めています。"), japanese);
        assertTrue(japanese.contains("<input type=\"hidden\" name=\"ui_locales\" value=\"ja\">"), japanese);
        assertFalse(japanese.contains("name=\"client_id\""), japanese);
    }

    @Test
    void errorAndSignedOutPages() {
        String error = pages.error(Locale.JAPANESE, new ErrorPage(new Message("error.title.invalid_request"),
                new Message("error.unknown_client", "<evil>")));
        assertTrue(error.contains("<html lang=\"ja\">"), error);
        assertTrue(error.contains("このリクエストは処理できません"), error);
        assertTrue(error.contains("アプリケーション「&lt;evil&gt;」はこのサーバーに登録されていません。"), error);

        String signedOut = pages.loggedOut(Locale.ENGLISH);
        assertTrue(signedOut.contains("You have signed out"), signedOut);
    }

    @Test
    void messagesAreFormattedWithTheirArguments() {
        assertEquals("The redirect URI 'https://evil.example/cb' is not registered for application 'growth'. "
                        + "Check the redirect URIs registered for this client.",
                pages.message(Locale.ENGLISH, new Message("error.bad_redirect_uri", "https://evil.example/cb", "growth")));
        assertEquals("リダイレクト URI「https://evil.example/cb」はアプリケーション「growth」に登録されていません。"
                        + "このクライアントに登録されているリダイレクト URI を確認してください。",
                pages.message(Locale.JAPANESE, new Message("error.bad_redirect_uri", "https://evil.example/cb", "growth")));
        assertEquals("Read all FHIR data about the selected patient", pages.message(Locale.ENGLISH,
                new Message("scope.smart.patient", pages.message(Locale.ENGLISH, new Message("scope.smart.all")),
                        pages.message(Locale.ENGLISH, new Message("scope.action.read")))));
        assertEquals(", ", pages.message(Locale.ENGLISH, new Message("scope.action.join")));
        assertEquals("no.such.key", pages.message(Locale.ENGLISH, new Message("no.such.key")));
    }

    @Test
    void aNonJapaneseLocaleGetsEnglishWhateverTheJvmDefault() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.JAPAN);
            assertEquals("Allow", pages.message(Locale.ENGLISH, new Message("consent.allow")));
            assertEquals("Allow", pages.message(Locale.FRENCH, new Message("consent.allow")));
            Locale.setDefault(Locale.US);
            assertEquals("許可する", pages.message(Locale.JAPANESE, new Message("consent.allow")));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void bothBundlesHaveTheSameKeysAndValidPatterns() throws IOException {
        Properties english = load("messages.properties");
        Properties japanese = load("messages_ja.properties");

        assertEquals(new TreeSet<>(english.stringPropertyNames()), new TreeSet<>(japanese.stringPropertyNames()));
        Pattern placeholder = Pattern.compile("\\{(\\d+)");
        for (String key : english.stringPropertyNames()) {
            new MessageFormat(english.getProperty(key), Locale.ENGLISH);
            new MessageFormat(japanese.getProperty(key), Locale.JAPANESE);
            assertEquals(arguments(placeholder.matcher(english.getProperty(key))),
                    arguments(placeholder.matcher(japanese.getProperty(key))), key);
        }
    }

    private static TreeSet<String> arguments(Matcher matcher) {
        TreeSet<String> found = new TreeSet<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static Properties load(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = PagesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
