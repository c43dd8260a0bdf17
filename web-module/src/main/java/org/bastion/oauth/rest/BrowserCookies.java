package org.bastion.oauth.rest;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The cookies of the browser flows, all HttpOnly, SameSite=Lax and limited to /oauth2:
 * the single sign-on session, the anti-forgery value the login and consent forms echo, and the
 * account page's note of the app the user has just revoked (read once: a link cannot set it).
 */
final class BrowserCookies {

    static final String SESSION = "bastion_session";
    static final String CSRF = "bastion_csrf";
    static final String REVOKED = "bastion_revoked";

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

    /** The client the user has just revoked, for the page the revocation redirects to (a minute at most). */
    static NewCookie revoked(String clientId, BastionSettings settings) {
        return cookie(REVOKED, URLEncoder.encode(clientId, StandardCharsets.UTF_8), 60, settings);
    }

    /** The client named by the revoked cookie, or null. */
    static String revokedClient(HttpHeaders headers) {
        String value = value(headers, REVOKED);
        return value == null || value.length() > 1024 ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    static NewCookie clearRevoked(BastionSettings settings) {
        return cookie(REVOKED, "", 0, settings);
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
