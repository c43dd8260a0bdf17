package org.bastion.oauth.application;

import java.net.URI;
import java.util.List;

/** What the browser sees next in an authorization flow. */
public sealed interface AuthorizationStep {

    /** An error shown to the user, never redirected (unknown client, bad redirect URI, expired flow). */
    record ShowError(String messageKey, List<String> args) implements AuthorizationStep {
    }

    /** Back to the client: with a code, or with an RFC 6749 §4.1.2.1 error. */
    record RedirectToClient(URI location) implements AuthorizationStep {
    }

    record ShowLogin(String requestId, String uiLocales) implements AuthorizationStep {
    }

    record ShowConsent(String requestId, String uiLocales) implements AuthorizationStep {
    }
}
