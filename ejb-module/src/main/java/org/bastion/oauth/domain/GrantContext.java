package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.time.Instant;

/**
 * What a grant carries from the user's approval to every token issued under it: who (null for
 * a client acting for itself), which scopes, when the user signed in, and the SMART launch context.
 */
@Embeddable
public record GrantContext(
        @Column(name = "user_id") String userId,
        @Column(name = "scope", nullable = false) String scope,
        @Column(name = "auth_time") Instant authTime,
        @Column(name = "patient") String patient,
        @Column(name = "encounter") String encounter) {

    public GrantContext withScope(String narrowed) {
        return new GrantContext(userId, narrowed, authTime, patient, encounter);
    }
}
