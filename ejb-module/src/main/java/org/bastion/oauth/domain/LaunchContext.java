package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The context behind an EHR launch handle: the patient (and encounter) the app opens on. */
@Entity
@Table(name = "launch_context")
public class LaunchContext {

    @Id
    private String handle;

    private String patient;

    private String encounter;

    @Column(name = "created_by")
    private String createdBy;

    /** The app the handle was made for: no other client may use it. */
    @Column(name = "client_id")
    private String clientId;

    /** The user who will open the app: no one else may use it. */
    @Column(name = "user_id")
    private String userId;

    @Column(name = "used_at")
    private Instant usedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected LaunchContext() {
    }

    public LaunchContext(String handle, String patient, String encounter, String clientId, String userId, String createdBy,
                         Instant now, Instant expiresAt) {
        this.handle = handle;
        this.clientId = clientId;
        this.userId = userId;
        this.patient = patient;
        this.encounter = encounter;
        this.createdBy = createdBy;
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    public String handle() {
        return handle;
    }

    public String patient() {
        return patient;
    }

    public String encounter() {
        return encounter;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public String clientId() {
        return clientId;
    }

    public String userId() {
        return userId;
    }

    public boolean used() {
        return usedAt != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
