package org.bastion.oauth.rest.pages;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.MessageFormat;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The HTML pages of the authorization server: sign-in, consent, "My apps", error, sign-out and signed-out,
 * in English or Japanese. Every page is a complete document with its style sheet inline and no
 * script, so it works without JavaScript and under {@link #contentSecurityPolicy()}.
 */
@ApplicationScoped
public class Pages {

    static final String BUNDLE = "org.bastion.oauth.rest.pages.messages";

    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private static final String STYLE = """

            :root {
              color-scheme: light dark;
              --bg: #eef1f6;
              --card: #ffffff;
              --text: #172033;
              --muted: #4f5b6e;
              --border: #d3d9e2;
              --field: #ffffff;
              --field-border: #8a94a6;
              --accent: #1d5bbf;
              --accent-hover: #164a9e;
              --accent-text: #ffffff;
              --focus: #1d5bbf;
              --danger: #9f1c1c;
              --danger-bg: #fdeeee;
              --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 12px 32px rgba(16, 24, 40, .08);
            }
            @media (prefers-color-scheme: dark) {
              :root {
                --bg: #0e131a;
                --card: #171f2a;
                --text: #e7ecf3;
                --muted: #a7b1bf;
                --border: #2e3a4a;
                --field: #0f151d;
                --field-border: #5d6a7c;
                --accent: #6aa6f8;
                --accent-hover: #8cbbfa;
                --accent-text: #0a1220;
                --focus: #8cbbfa;
                --danger: #ffb8b8;
                --danger-bg: #3b1d21;
                --shadow: 0 1px 2px rgba(0, 0, 0, .4), 0 12px 32px rgba(0, 0, 0, .35);
              }
            }
            *, *::before, *::after { box-sizing: border-box; }
            html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
            body {
              margin: 0;
              min-height: 100vh;
              display: flex;
              flex-direction: column;
              align-items: center;
              padding: 56px 16px 32px;
              background: var(--bg);
              color: var(--text);
              font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
                "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Yu Gothic UI", Meiryo, sans-serif;
            }
            html:lang(ja) body {
              font-family: "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Yu Gothic UI", Meiryo,
                system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
              line-height: 1.7;
              line-break: strict;
            }
            .brand {
              display: flex;
              align-items: center;
              gap: 10px;
              margin: 0 0 24px;
              font-size: 1.3rem;
              font-weight: 700;
              letter-spacing: .01em;
            }
            .brand svg { width: 30px; height: 30px; flex: none; }
            .logo-shield { fill: var(--accent); }
            .logo-tower { fill: var(--card); }
            .card {
              width: 100%;
              max-width: 420px;
              background: var(--card);
              border: 1px solid var(--border);
              border-radius: 14px;
              box-shadow: var(--shadow);
              padding: 32px;
            }
            .card.wide { max-width: 520px; }
            h1 { margin: 0 0 6px; font-size: 1.4rem; line-height: 1.3; overflow-wrap: anywhere; }
            p { margin: 0 0 16px; }
            .lead { color: var(--muted); overflow-wrap: anywhere; }
            .alert {
              margin: 0 0 20px;
              padding: 10px 14px;
              border-left: 4px solid var(--danger);
              border-radius: 8px;
              background: var(--danger-bg);
              color: var(--danger);
              font-weight: 500;
            }
            .field { margin: 0 0 18px; }
            .field label { display: block; margin: 0 0 6px; font-size: .94rem; font-weight: 600; }
            .field input {
              display: block;
              width: 100%;
              padding: 10px 12px;
              font: inherit;
              color: var(--text);
              background: var(--field);
              border: 1px solid var(--field-border);
              border-radius: 8px;
            }
            input:focus-visible, button:focus-visible {
              outline: 3px solid var(--focus);
              outline-offset: 2px;
            }
            .field input:focus-visible { outline-offset: 0; border-color: var(--focus); }
            button {
              display: inline-flex;
              align-items: center;
              justify-content: center;
              min-height: 44px;
              padding: 10px 20px;
              font: inherit;
              font-weight: 600;
              border-radius: 8px;
              cursor: pointer;
            }
            .primary { color: var(--accent-text); background: var(--accent); border: 1px solid var(--accent); }
            .primary:hover { background: var(--accent-hover); border-color: var(--accent-hover); }
            .secondary { color: var(--text); background: transparent; border: 1px solid var(--field-border); }
            .secondary:hover { background: var(--bg); }
            .block { width: 100%; margin-top: 6px; }
            .account { margin: 0 0 20px; font-size: .94rem; color: var(--muted); overflow-wrap: anywhere; }
            .account strong { color: var(--text); font-weight: 600; }
            .scopes { list-style: none; margin: 0 0 12px; padding: 0; border: 1px solid var(--border); border-radius: 10px; }
            .scopes li + li { border-top: 1px solid var(--border); }
            .scopes label { display: flex; align-items: flex-start; gap: 12px; padding: 12px 14px; cursor: pointer; }
            .scopes input { flex: none; width: 18px; height: 18px; margin: 3px 0 0; accent-color: var(--accent); }
            .scope-text { min-width: 0; }
            .scope-description { display: block; }
            .scope-name {
              display: block;
              margin-top: 2px;
              font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
              font-size: .8rem;
              color: var(--muted);
              overflow-wrap: anywhere;
            }
            .note { margin: 0 0 20px; font-size: .875rem; color: var(--muted); }
            .picker-search { display: flex; gap: 12px; align-items: flex-end; margin: 0 0 16px; }
            .picker-search .field { flex: 1; margin: 0; }
            .patients { border: 0; margin: 0 0 16px; padding: 0; }
            .patients legend { font-weight: 600; margin: 0 0 8px; }
            .actions { display: flex; flex-wrap: wrap; gap: 12px; }
            .apps { list-style: none; margin: 0 0 20px; padding: 0; }
            .apps > li { border: 1px solid var(--border); border-radius: 10px; padding: 14px 16px; }
            .apps > li + li { margin-top: 12px; }
            .apps h2 { margin: 0; font-size: 1.05rem; }
            .apps dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 10px 0 12px; font-size: .9rem; }
            .apps dt { color: var(--muted); }
            .apps dd { margin: 0; overflow-wrap: anywhere; }
            .done { margin: 0 0 16px; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--border); }
            .actions button { flex: 1 1 160px; }
            .status { display: block; width: 44px; height: 44px; margin: 0 0 14px; }
            .status-ok { fill: var(--accent); }
            .status-error { fill: var(--danger); }
            .status-mark { fill: none; stroke: var(--card); stroke-width: 2.4; stroke-linecap: round; stroke-linejoin: round; }
            @media (max-width: 480px) {
              body { padding: 28px 12px 20px; }
              .card { padding: 24px 20px; border-radius: 12px; }
            }
            """;

    /** The SHA-256 source of the inline style element, for a Content-Security-Policy header. */
    private static final String STYLE_SOURCE = "'sha256-" + sha256(STYLE) + "'";

    private static final String SHIELD = "M12 1.8 3.5 5v6.1c0 5.2 3.6 9.9 8.5 11.1 4.9-1.2 8.5-5.9 8.5-11.1V5L12 1.8Z";
    private static final String TOWER =
            "M8 8h1.6v1.4h1.6V8h1.6v1.4h1.6V8H16v3.2l-1 1V17H9v-4.8l-1-1V8Z";

    private static final String LOGO = """
            <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">\
            <path class="logo-shield" d="%s"/><path class="logo-tower" d="%s"/></svg>""".formatted(SHIELD, TOWER);

    private static final String FAVICON = "data:image/svg+xml," + ("<svg xmlns='http://www.w3.org/2000/svg' "
            + "viewBox='0 0 24 24'><path fill='#1d5bbf' d='" + SHIELD + "'/><path fill='#fff' d='" + TOWER + "'/></svg>")
            .replace("%", "%25").replace("<", "%3C").replace(">", "%3E").replace("#", "%23").replace(" ", "%20")
            .replace("'", "%27");

    private static final String STATUS_OK = """
            <svg class="status" viewBox="0 0 44 44" aria-hidden="true" focusable="false">\
            <circle class="status-ok" cx="22" cy="22" r="22"/><path class="status-mark" d="M13 22.5l6 6 12-13"/></svg>""";

    private static final String STATUS_ERROR = """
            <svg class="status" viewBox="0 0 44 44" aria-hidden="true" focusable="false">\
            <circle class="status-error" cx="22" cy="22" r="22"/><path class="status-mark" d="M22 12v12M22 31v.5"/></svg>""";

    /**
     * The language of the pages: the first of {@code ui_locales} (space-separated BCP 47 tags, in
     * order of preference, OpenID Connect Core 3.1.2.1) that is Japanese or English, else the first
     * such Accept-Language, else English.
     *
     * @param uiLocales       the {@code ui_locales} request parameter; may be null
     * @param acceptLanguages Accept-Language in order of preference; may be null
     * @return {@link Locale#JAPANESE} or {@link Locale#ENGLISH}
     */
    public Locale locale(String uiLocales, List<Locale> acceptLanguages) {
        if (uiLocales != null) {
            for (String tag : uiLocales.trim().split("\\s+")) {
                if (!tag.isEmpty()) {
                    Locale supported = supported(Locale.forLanguageTag(tag.replace('_', '-')).getLanguage());
                    if (supported != null) {
                        return supported;
                    }
                }
            }
        }
        if (acceptLanguages != null) {
            for (Locale accepted : acceptLanguages) {
                Locale supported = accepted == null ? null : supported(accepted.getLanguage());
                if (supported != null) {
                    return supported;
                }
            }
        }
        return Locale.ENGLISH;
    }

    /** The sign-in page. */
    public String login(Locale locale, LoginPage page) {
        Locale lang = normalise(locale);
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"card\">\n")
                .append("<h1>").append(text(lang, "login.heading")).append("</h1>\n")
                .append("<p class=\"lead\">").append(page.clientName() == null ? text(lang, "account.login.lead")
                        : text(lang, "login.lead", page.clientName())).append("</p>\n");
        if (page.error() != null) {
            body.append("<div class=\"alert\" role=\"alert\">").append(escape(message(lang, page.error())))
                    .append("</div>\n");
        }
        body.append("<form method=\"post\" action=\"").append(escape(page.action())).append("\">\n")
                .append(hidden("request", page.requestId()))
                .append(hidden("csrf", page.csrf()))
                .append("<div class=\"field\">\n")
                .append("<label for=\"username\">").append(text(lang, "login.username")).append("</label>\n")
                .append("<input id=\"username\" name=\"username\" type=\"text\" value=\"")
                .append(escape(page.username()))
                .append("\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required autofocus>\n")
                .append("</div>\n")
                .append("<div class=\"field\">\n")
                .append("<label for=\"password\">").append(text(lang, "login.password")).append("</label>\n")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n")
                .append("</div>\n")
                .append("<button class=\"primary block\" type=\"submit\">").append(text(lang, "login.submit"))
                .append("</button>\n")
                .append("</form>\n")
                .append("</main>\n");
        return document(lang, text(lang, "login.title"), body);
    }

    /** The consent page: which permissions the application may have. */
    public String consent(Locale locale, ConsentPage page) {
        Locale lang = normalise(locale);
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"card wide\">\n")
                .append("<h1>").append(text(lang, "consent.heading", page.clientName())).append("</h1>\n")
                .append("<p class=\"account\">")
                .append(escape(message(lang, new Message("consent.signed_in_as", "\u0000")))
                        .replace("\u0000", "<strong>" + escape(page.username()) + "</strong>"))
                .append("</p>\n");
        if (page.returnHost() != null) {
            // the host, not the name the client chose for itself, says where the code goes
            body.append("<p class=\"account\" data-test=\"return-host\">")
                    .append(escape(message(lang, new Message("consent.return_to", "\u0000")))
                            .replace("\u0000", "<strong>" + escape(page.returnHost()) + "</strong>"))
                    .append("</p>\n");
        }
        if (page.unreviewed()) {
            body.append("<p class=\"alert\" role=\"note\" data-test=\"unreviewed-client\">").append(text(lang, "consent.unreviewed")).append("</p>\n");
        }
        if (page.error() != null) {
            body.append("<div class=\"alert\" role=\"alert\">").append(escape(message(lang, page.error()))).append("</div>\n");
        }
        if (page.picker() != null) {
            body.append("<form method=\"get\" action=\"").append(escape(page.action())).append("\" class=\"picker-search\">\n")
                    .append(hidden("request", page.requestId()))
                    .append("<div class=\"field\">\n")
                    .append("<label for=\"patient_q\">").append(text(lang, "consent.patient.search")).append("</label>\n")
                    .append("<input id=\"patient_q\" name=\"patient_q\" type=\"search\" value=\"")
                    .append(escape(page.picker().query())).append("\">\n")
                    .append("</div>\n")
                    .append("<button class=\"secondary\" type=\"submit\">").append(text(lang, "consent.patient.button")).append("</button>\n")
                    .append("</form>\n");
        }
        body.append("<form method=\"post\" action=\"").append(escape(page.action())).append("\">\n")
                .append(hidden("request", page.requestId()))
                .append(hidden("csrf", page.csrf()));
        if (page.picker() != null) {
            body.append("<fieldset class=\"patients\"><legend>").append(text(lang, "consent.patient.heading")).append("</legend>\n");
            if (page.picker().patients().isEmpty()) {
                body.append("<p class=\"note\">").append(text(lang, "consent.patient.none")).append("</p>\n");
            } else {
                body.append("<ul class=\"scopes\">\n");
                for (ConsentPage.PatientChoice patient : page.picker().patients()) {
                    body.append("<li><label><input type=\"radio\" name=\"patient\" value=\"").append(escape(patient.id()))
                            .append("\" required><span class=\"scope-text\"><span class=\"scope-description\">")
                            .append(escape(patient.label())).append("</span><code class=\"scope-name\">Patient/")
                            .append(escape(patient.id())).append("</code></span></label></li>\n");
                }
                body.append("</ul>\n");
            }
            body.append("</fieldset>\n");
        }
        if (page.scopes().isEmpty()) {
            body.append("<p>").append(text(lang, "consent.no_scopes")).append("</p>\n");
        } else {
            body.append("<p id=\"scopes-intro\">").append(text(lang, "consent.intro")).append("</p>\n")
                    .append("<ul class=\"scopes\" aria-labelledby=\"scopes-intro\">\n");
            for (ScopeChoice choice : page.scopes()) {
                body.append("<li><label>")
                        .append("<input type=\"checkbox\" name=\"scope\" value=\"").append(escape(choice.scope()))
                        .append(choice.checked() ? "\" checked>" : "\">")
                        .append("<span class=\"scope-text\"><span class=\"scope-description\">")
                        .append(escape(choice.description()))
                        .append("</span><code class=\"scope-name\">").append(escape(choice.scope()))
                        .append("</code></span></label></li>\n");
            }
            body.append("</ul>\n")
                    .append("<p class=\"note\">").append(text(lang, "consent.note")).append("</p>\n");
        }
        body.append("<div class=\"actions\">\n")
                .append("<button class=\"primary\" type=\"submit\" name=\"decision\" value=\"approve\">")
                .append(text(lang, "consent.allow")).append("</button>\n")
                .append("<button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"deny\">")
                .append(text(lang, "consent.deny")).append("</button>\n")
                .append("</div>\n")
                .append("</form>\n")
                .append("<p class=\"note manage\"><a href=\"account\" data-test=\"my-apps\">").append(text(lang, "consent.manage"))
                .append("</a></p>\n")
                .append("</main>\n");
        return document(lang, text(lang, "consent.title"), body);
    }

    /** "My apps": the apps the signed-in user allowed, each with a button that revokes its access. */
    public String account(Locale locale, AccountPage page) {
        Locale lang = normalise(locale);
        java.time.format.DateTimeFormatter when = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC);
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"card wide\">\n")
                .append("<h1>").append(text(lang, "account.heading")).append("</h1>\n")
                .append("<p class=\"account\">")
                .append(escape(message(lang, new Message("consent.signed_in_as", "\u0000")))
                        .replace("\u0000", "<strong>" + escape(page.username()) + "</strong>"))
                .append("</p>\n");
        if (page.revoked() != null) {
            body.append("<p class=\"done\" role=\"status\" data-test=\"revoked\">").append(text(lang, "account.revoked", page.revoked()))
                    .append("</p>\n");
        }
        if (page.apps().isEmpty()) {
            body.append("<p class=\"lead\" data-test=\"no-apps\">").append(text(lang, "account.none")).append("</p>\n");
        } else {
            body.append("<p>").append(text(lang, "account.intro")).append("</p>\n<ul class=\"apps\">\n");
            for (AccountPage.App app : page.apps()) {
                body.append("<li data-test=\"app\" data-client=\"").append(escape(app.clientId())).append("\">\n")
                        .append("<h2>").append(escape(app.name())).append("</h2>\n")
                        .append("<dl>\n")
                        .append("<dt>").append(text(lang, "account.scopes")).append("</dt><dd>");
                for (String scope : app.scopes()) {
                    body.append("<code class=\"scope-name\">").append(escape(scope)).append("</code>");
                }
                body.append("</dd>\n");
                if (app.patient() != null) {
                    body.append("<dt>").append(text(lang, "account.patient")).append("</dt><dd>Patient/").append(escape(app.patient())).append("</dd>\n");
                }
                body.append("<dt>").append(text(lang, "account.granted")).append("</dt><dd>").append(escape(when.format(app.granted()))).append("</dd>\n")
                        .append("<dt>").append(text(lang, "account.last_used")).append("</dt><dd data-test=\"last-used\">")
                        .append(app.lastUsed() == null ? text(lang, "account.never") : escape(when.format(app.lastUsed()))).append("</dd>\n")
                        .append("</dl>\n")
                        .append("<form method=\"post\" action=\"").append(escape(page.action() + "/revoke")).append("\">\n")
                        .append(hidden("csrf", page.csrf()))
                        .append(hidden("client_id", app.clientId()))
                        .append("<button class=\"secondary\" type=\"submit\" data-test=\"revoke\">").append(text(lang, "account.revoke"))
                        .append("</button>\n")
                        .append("</form>\n")
                        .append("</li>\n");
            }
            body.append("</ul>\n")
                    .append("<p class=\"note\">").append(text(lang, "account.note")).append("</p>\n");
        }
        body.append("<form method=\"post\" action=\"").append(escape(page.logout())).append("\">\n")
                .append(hidden("csrf", page.csrf()))
                .append("<button class=\"secondary block\" type=\"submit\">").append(text(lang, "account.sign_out")).append("</button>\n")
                .append("</form>\n")
                .append("</main>\n");
        return document(lang, text(lang, "account.title"), body);
    }

    /** A page that reports an error to the user. */
    public String error(Locale locale, ErrorPage page) {
        Locale lang = normalise(locale);
        String title = escape(message(lang, page.title() == null ? new Message("error.title") : page.title()));
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"card\">\n")
                .append(STATUS_ERROR).append('\n')
                .append("<h1>").append(title).append("</h1>\n");
        if (page.detail() != null) {
            body.append("<p class=\"lead\">").append(escape(message(lang, page.detail()))).append("</p>\n");
        }
        body.append("<p class=\"note\">").append(text(lang, "error.close")).append("</p>\n")
                .append("</main>\n");
        return document(lang, title, body);
    }

    /**
     * The sign-out question, asked when nothing proves the request came from the client the user
     * signed in to (OpenID Connect RP-Initiated Logout 1.0 §2); its form signs out.
     */
    public String logout(Locale locale, LogoutPage page) {
        Locale lang = normalise(locale);
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"card\">\n")
                .append("<h1>").append(text(lang, "logout.confirm.heading")).append("</h1>\n")
                .append("<p class=\"lead\">").append(page.clientName() == null ? text(lang, "logout.confirm.lead")
                        : text(lang, "logout.confirm.lead_client", page.clientName())).append("</p>\n")
                .append("<p class=\"note\">").append(text(lang, "logout.confirm.note")).append("</p>\n")
                .append("<form method=\"post\" action=\"").append(escape(page.action())).append("\">\n")
                .append(hidden("csrf", page.csrf()));
        String[][] returned = {{"client_id", page.clientId()}, {"post_logout_redirect_uri", page.postLogoutRedirectUri()},
                {"state", page.state()}, {"ui_locales", page.uiLocales()}};
        for (String[] field : returned) {
            if (field[1] != null) {
                body.append(hidden(field[0], field[1]));
            }
        }
        body.append("<button class=\"primary block\" type=\"submit\">").append(text(lang, "logout.confirm.submit"))
                .append("</button>\n")
                .append("</form>\n")
                .append("</main>\n");
        return document(lang, text(lang, "logout.confirm.title"), body);
    }

    /** The page shown after signing out. */
    public String loggedOut(Locale locale) {
        Locale lang = normalise(locale);
        StringBuilder body = new StringBuilder();
        body.append("<main class=\"card\">\n")
                .append(STATUS_OK).append('\n')
                .append("<h1>").append(text(lang, "logout.heading")).append("</h1>\n")
                .append("<p class=\"lead\">").append(text(lang, "logout.detail")).append("</p>\n")
                .append("</main>\n");
        return document(lang, text(lang, "logout.title"), body);
    }

    /**
     * A message in the given language, as plain text (not escaped). A key missing from the bundle
     * gives the key itself.
     */
    public String message(Locale locale, Message m) {
        Locale lang = normalise(locale);
        String pattern;
        try {
            pattern = ResourceBundle.getBundle(BUNDLE, lang, NO_FALLBACK).getString(m.key());
        } catch (MissingResourceException e) {
            return m.key();
        }
        return new MessageFormat(pattern, lang).format(m.args());
    }

    /**
     * A Content-Security-Policy for these pages: nothing may load but the inline style sheet and the
     * inline icon, and no one may frame them. It has no {@code form-action}: some browsers apply it to
     * the redirect that follows the form post, which goes to the application.
     */
    public String contentSecurityPolicy() {
        return "default-src 'none'; style-src " + STYLE_SOURCE + "; img-src data:; base-uri 'none'; frame-ancestors 'none'";
    }

    private String document(Locale lang, String escapedTitle, CharSequence body) {
        return new StringBuilder(8192)
                .append("<!DOCTYPE html>\n")
                .append("<html lang=\"").append(lang.getLanguage()).append("\">\n")
                .append("<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n")
                .append("<meta name=\"robots\" content=\"noindex, nofollow\">\n")
                .append("<meta name=\"referrer\" content=\"same-origin\">\n")
                .append("<title>").append(escapedTitle).append(" \u2013 Bastion</title>\n")
                .append("<link rel=\"icon\" href=\"").append(escape(FAVICON)).append("\">\n")
                .append("<style>").append(STYLE).append("</style>\n")
                .append("</head>\n")
                .append("<body>\n")
                .append("<header class=\"brand\">").append(LOGO).append("<span>Bastion</span></header>\n")
                .append(body)
                .append("</body>\n")
                .append("</html>\n")
                .toString();
    }

    /** A message from the bundle, escaped for HTML. */
    private String text(Locale lang, String key, Object... args) {
        return escape(message(lang, new Message(key, args)));
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">\n";
    }

    private static Locale supported(String language) {
        return switch (language) {
            case "ja" -> Locale.JAPANESE;
            case "en" -> Locale.ENGLISH;
            default -> null;
        };
    }

    private static Locale normalise(Locale locale) {
        return locale != null && "ja".equals(locale.getLanguage()) ? Locale.JAPANESE : Locale.ENGLISH;
    }

    /** Escapes text for HTML element content and quoted attribute values; null becomes empty. */
    private static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
