package org.bastion.oauth.application;

import java.net.URI;
import java.util.List;

/** What the browser sees after an RP-initiated logout request. */
public sealed interface LogoutStep {

    /**
     * The session ended: back to the client's registered URI (with its state), or, when null, the
     * signed-out page. userId: whose session it was (null when the browser had none).
     */
    record SignedOut(URI redirect, String userId) implements LogoutStep {
    }

    /**
     * Nothing proved the request came from the client the user signed in to: the user decides.
     * clientId and clientName are null when the request names no client.
     */
    record Confirm(String clientId, String clientName) implements LogoutStep {
    }

    /** A request that cannot be honoured (an unregistered redirect URI, a client_id the ID token was not for): shown, never redirected. */
    record Refuse(String messageKey, List<String> args) implements LogoutStep {
    }
}
