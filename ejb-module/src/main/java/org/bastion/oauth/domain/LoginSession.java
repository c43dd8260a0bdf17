package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signed-in browser (single sign-on across clients); the cookie holds the id, the table its hash. */
@Entity
@Table(name = "login_session")
public class LoginSession {

    @Id
    @Column(name = "id_hash")
    private String idHash;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "auth_time", nullable = false)
    private Instant authTime;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected LoginSession() {
    }

    public LoginSession(String idHash, String userId, Instant authTime, Instant expiresAt) {
        this.idHash = idHash;
        this.userId = userId;
        this.authTime = authTime;
        this.expiresAt = expiresAt;
    }

    public String userId() {
        return userId;
    }

    public Instant authTime() {
        return authTime;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
