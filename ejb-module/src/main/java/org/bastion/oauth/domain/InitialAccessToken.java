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

    @Column(name = "approved_grant_types", nullable = false)
    private String approvedGrantTypes = "";

    @Column(name = "approved_scope", nullable = false)
    private String approvedScope = "";

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

    /** The approval clients registered with this token start with, set by the admin who issued it. */
    public void policy(java.util.List<String> grantTypes, java.util.List<String> scope) {
        this.approvedGrantTypes = SpaceDelimited.join(grantTypes);
        this.approvedScope = SpaceDelimited.join(scope);
    }

    public java.util.List<String> approvedGrantTypes() {
        return SpaceDelimited.list(approvedGrantTypes);
    }

    public java.util.List<String> approvedScope() {
        return SpaceDelimited.list(approvedScope);
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
