package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * An authorization code (RFC 6749 §4.1.2): single use, short-lived, bound to the client, the
 * redirect URI and the PKCE challenge. Only its hash is stored.
 */
@Entity
@Table(name = "authorization_code")
public class AuthorizationCode {

    @Id
    @Column(name = "code_hash")
    private String codeHash;

    @Column(name = "client_id", nullable = false)
    private String clientId;

    @Column(name = "redirect_uri", nullable = false)
    private String redirectUri;

    @Column(name = "code_challenge")
    private String codeChallenge;

    private String nonce;

    @Embedded
    private GrantContext context;

    @Column(name = "grant_id", nullable = false)
    private String grantId;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    protected AuthorizationCode() {
    }

    public AuthorizationCode(String codeHash, String clientId, GrantContext context, String redirectUri,
                             String codeChallenge, String nonce, String grantId, Instant expiresAt) {
        this.codeHash = codeHash;
        this.clientId = clientId;
        this.context = context;
        this.redirectUri = redirectUri;
        this.codeChallenge = codeChallenge;
        this.nonce = nonce;
        this.grantId = grantId;
        this.expiresAt = expiresAt;
    }

    public String clientId() {
        return clientId;
    }

    public String redirectUri() {
        return redirectUri;
    }

    public String codeChallenge() {
        return codeChallenge;
    }

    public String nonce() {
        return nonce;
    }

    public String grantId() {
        return grantId;
    }

    public GrantContext context() {
        return context;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean used() {
        return usedAt != null;
    }

    public void use(Instant now) {
        this.usedAt = now;
    }
}
