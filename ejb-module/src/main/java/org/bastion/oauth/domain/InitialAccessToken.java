package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A token that lets its holder register clients (RFC 7591 §3), a number of times until it expires. */
@Entity
@Table(name = "initial_access_token")
public class InitialAccessToken {

    @Id
    @Column(name = "token_hash")
    private String tokenHash;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "remaining_uses", nullable = false)
    private int remainingUses;

    protected InitialAccessToken() {
    }

    public InitialAccessToken(String tokenHash, String createdBy, Instant createdAt, Instant expiresAt, int uses) {
        this.tokenHash = tokenHash;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.remainingUses = uses;
    }

    /** The token's hash: an id to list and revoke it by, which reveals nothing of the token. */
    public String id() {
        return tokenHash;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public int remainingUses() {
        return remainingUses;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** Spends one use, if any is left and the token has not expired. */
    public boolean use(Instant now) {
        if (remainingUses <= 0 || !now.isBefore(expiresAt)) {
            return false;
        }
        remainingUses--;
        return true;
    }
}
