package org.bastion.oauth.rest;

import jakarta.ws.rs.core.HttpHeaders;
import org.bastion.oauth.application.AuthorizationFlow;
import org.bastion.oauth.domain.Secrets;

/**
 * CSRF defence of the login, consent and sign-out forms: the form's hidden value, the browser's
 * cookie and the value stored with the flow must be one. A cross-site post carries no SameSite=Lax
 * cookie, and another browser's flow has another value.
 */
final class FormGuard {

    private FormGuard() {
    }

    static boolean genuine(String formValue, AuthorizationFlow.Request request, HttpHeaders headers) {
        String stored = request.pending().csrf();
        String cookie = BrowserCookies.value(headers, BrowserCookies.CSRF);
        return formValue != null && cookie != null
                && Secrets.matches(formValue, Secrets.hash(stored))
                && Secrets.matches(cookie, Secrets.hash(stored));
    }

    /** A form with no flow behind it (the sign-out question): its hidden value and the browser's cookie must be one. */
    static boolean genuine(String formValue, HttpHeaders headers) {
        String cookie = BrowserCookies.value(headers, BrowserCookies.CSRF);
        return formValue != null && cookie != null && Secrets.matches(formValue, Secrets.hash(cookie));
    }
}
