package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An /authorize request waiting for the user to sign in and consent. Its parameters are kept
 * as the original query string, so any node can resume the flow.
 */
@Entity
@Table(name = "authorization_request")
public class PendingAuthorization {

    @Id
    private String id;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(nullable = false)
    private String parameters;

    @Column(nullable = false)
    private String csrf;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "auth_time")
    private Instant authTime;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected PendingAuthorization() {
    }

    public PendingAuthorization(String id, String clientId, String parameters, String csrf, Instant now, Instant expiresAt) {
        this.id = id;
        this.clientId = clientId;
        this.parameters = parameters;
        this.csrf = csrf;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    public String id() {
        return id;
    }

    public String clientId() {
        return clientId;
    }

    public String parameters() {
        return parameters;
    }

    public String csrf() {
        return csrf;
    }

    public String userId() {
        return userId;
    }

    public Instant authTime() {
        return authTime;
    }

    public void authenticated(String userId, Instant authTime) {
        this.userId = userId;
        this.authTime = authTime;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
