package org.bastion.oauth.rest;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;

import java.time.Duration;

/**
 * The two cookies of the browser flows, both HttpOnly, SameSite=Lax and limited to /oauth2:
 * the single sign-on session, and the anti-forgery value the login and consent forms echo.
 */
final class BrowserCookies {

    static final String SESSION = "bastion_session";
    static final String CSRF = "bastion_csrf";

    private BrowserCookies() {
    }

    static String value(HttpHeaders headers, String name) {
        Cookie cookie = headers.getCookies().get(name);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    /** The browser's anti-forgery value, made on its first visit. */
    static String csrf(HttpHeaders headers) {
        String value = value(headers, CSRF);
        return value != null && value.length() <= 64 ? value : Secrets.random();
    }

    static NewCookie csrfCookie(String value, BastionSettings settings) {
        return cookie(CSRF, value, -1, settings);
    }

    static NewCookie session(String value, Duration lifetime, BastionSettings settings) {
        return cookie(SESSION, value, (int) lifetime.toSeconds(), settings);
    }

    static NewCookie clearSession(BastionSettings settings) {
        return cookie(SESSION, "", 0, settings);
    }

    private static NewCookie cookie(String name, String value, int maxAge, BastionSettings settings) {
        return new NewCookie.Builder(name)
                .value(value)
                .path("/oauth2")
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(settings.baseUrl().startsWith("https:"))
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }
}
