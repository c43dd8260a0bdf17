package org.bastion.oauth.domain;

import java.time.Instant;

/**
 * What a grant carries from the user's approval to every token issued under it: who (null for
 * a client acting for itself), which scopes, when the user signed in, and the SMART launch context.
 */
public record GrantContext(String userId, String scope, Instant authTime, String patient, String encounter) {

    public GrantContext withScope(String narrowed) {
        return new GrantContext(userId, narrowed, authTime, patient, encounter);
    }
}
