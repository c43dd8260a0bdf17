package org.bastion.platform.rest;

import java.util.Locale;
import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750 §2.1), if that is what the header holds. */
public final class BearerCredentials {

    private static final String SCHEME = "bearer ";

    private BearerCredentials() {
    }

    public static Optional<String> token(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            return Optional.empty();
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
