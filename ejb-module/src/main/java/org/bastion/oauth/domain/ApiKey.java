package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An API key for a system integration: an admin's grant of some of a client's scopes (and, for
 * patient/ scopes, one patient or the patients an organization manages) to whoever holds the key, until it expires or is revoked. Only the
 * hash of its secret part is kept; the id, the key's visible prefix, names it in lists and audits.
 */
@Entity
@Table(name = "api_key")
public class ApiKey {

    @Id
    private String id;

    @Column(name = "secret_hash", nullable = false)
    private String secretHash;

    @Column(nullable = false)
    private String name;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(nullable = false)
    private String scope;

    private String patient;

    private String organization;

    @Column(name = "created_by")
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "revoked_by")
    private String revokedBy;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    protected ApiKey() {
    }

    public ApiKey(String id, String secretHash, String name, String clientId, java.util.List<String> scope, String patient,
                  String organization, String createdBy, Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.secretHash = secretHash;
        this.name = name;
        this.clientId = clientId;
        this.scope = SpaceDelimited.join(scope);
        this.patient = patient;
        this.organization = organization;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    public String id() {
        return id;
    }

    public String secretHash() {
        return secretHash;
    }

    public String name() {
        return name;
    }

    public String clientId() {
        return clientId;
    }

    public java.util.List<String> scope() {
        return SpaceDelimited.list(scope);
    }

    public String patient() {
        return patient;
    }

    /** The Organization id whose managed patients the key's patient/ scopes reach, or null. */
    public String organization() {
        return organization;
    }

    public String createdBy() {
        return createdBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    public String revokedBy() {
        return revokedBy;
    }

    public Instant lastUsedAt() {
        return lastUsedAt;
    }

    public void revoke(Instant at, String by) {
        if (revokedAt == null) {
            revokedAt = at;
            revokedBy = by;
        }
    }

    public void used(Instant at) {
        lastUsedAt = at;
    }

    /** active, expired or revoked, as lists show it. */
    public String status(Instant now) {
        return revokedAt != null ? "revoked" : now.isBefore(expiresAt) ? "active" : "expired";
    }
}
