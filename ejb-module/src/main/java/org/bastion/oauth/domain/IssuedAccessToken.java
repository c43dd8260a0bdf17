package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The record of an access token issued, by its jti: what admins list of what a user or client holds. */
@Entity
@Table(name = "access_token")
public class IssuedAccessToken {

    @Id
    private String jti;

    @Column(name = "grant_id")
    private String grantId;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(nullable = false)
    private String subject;

    @Column(nullable = false)
    private String scope;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected IssuedAccessToken() {
    }

    public IssuedAccessToken(String jti, String grantId, String clientId, String subject, String scope,
                             Instant issuedAt, Instant expiresAt) {
        this.jti = jti;
        this.grantId = grantId;
        this.clientId = clientId;
        this.subject = subject;
        this.scope = scope;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public String clientId() {
        return clientId;
    }

    public String jti() {
        return jti;
    }

    public String grantId() {
        return grantId;
    }

    public String subject() {
        return subject;
    }

    public String scope() {
        return scope;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }
}
