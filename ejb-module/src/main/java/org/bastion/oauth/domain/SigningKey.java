package org.bastion.oauth.domain;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.text.ParseException;
import java.time.Instant;

/** A key the authorization server signs tokens with; its public half is published in the JWKS. */
@Entity
@Table(name = "signing_key")
public class SigningKey {

    @Id
    private String kid;

    @Column(nullable = false)
    private String algorithm;

    @Column(name = "private_jwk", nullable = false)
    private String privateJwk;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "retired_at")
    private Instant retiredAt;

    protected SigningKey() {
    }

    public SigningKey(JWK jwk, JWSAlgorithm algorithm, Instant createdAt) {
        if (!jwk.isPrivate()) {
            throw new IllegalArgumentException("A signing key needs its private part");
        }
        this.kid = jwk.getKeyID();
        this.algorithm = algorithm.getName();
        this.privateJwk = jwk.toJSONString();
        this.createdAt = createdAt;
    }

    public String kid() {
        return kid;
    }

    public JWSAlgorithm algorithm() {
        return JWSAlgorithm.parse(algorithm);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public void retire(Instant now) {
        this.retiredAt = now;
    }

    public boolean retired() {
        return retiredAt != null;
    }

    public JWK privateJwk() {
        try {
            return JWK.parse(privateJwk);
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key " + kid + " is not a JWK", e);
        }
    }
}
