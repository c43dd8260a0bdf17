package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A revocation: of one access token (by jti), of a grant, of everything a user holds, or of what
 * one client holds for a user. An access token of Bastion is refused when a revocation names it
 * and was made at or after the token's issue time; the row lives as long as such a token can.
 */
@Entity
@Table(name = "token_revocation")
public class TokenRevocation {

    @Id
    private String id;

    @Column(name = "revoked_at", nullable = false)
    private Instant revokedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected TokenRevocation() {
    }

    public TokenRevocation(String id, Instant revokedAt, Instant expiresAt) {
        this.id = id;
        this.revokedAt = revokedAt;
        this.expiresAt = expiresAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    /** A later revocation of the same thing moves the time forward: tokens issued in between are revoked too. */
    public void renew(Instant now, Instant expiry) {
        revokedAt = now;
        if (expiry.isAfter(expiresAt)) {
            expiresAt = expiry;
        }
    }
}
