package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A refresh token (RFC 6749 §6), rotated on every use (RFC 9700 §4.14.2): the grant id ties
 * the generations together, so a reused one revokes all of them.
 */
@Entity
@Table(name = "refresh_token")
public class RefreshToken {

    @Id
    @Column(name = "token_hash")
    private String tokenHash;

    @Column(name = "grant_id", nullable = false)
    private String grantId;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Embedded
    private GrantContext context;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected RefreshToken() {
    }

    public RefreshToken(String tokenHash, String grantId, String clientId, GrantContext context, Instant issuedAt, Instant expiresAt) {
        this.tokenHash = tokenHash;
        this.grantId = grantId;
        this.clientId = clientId;
        this.context = context;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public String grantId() {
        return grantId;
    }

    public String clientId() {
        return clientId;
    }

    public GrantContext context() {
        return context;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public boolean active(Instant now) {
        return usedAt == null && revokedAt == null && now.isBefore(expiresAt);
    }

    public boolean used() {
        return usedAt != null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public void use(Instant now) {
        this.usedAt = now;
    }
}
