package org.bastion.oauth.domain;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.bastion.platform.KeyEncryption;

import java.text.ParseException;
import java.time.Instant;

/**
 * A key the authorization server signs tokens with; its public half is published in the JWKS.
 * The private JWK is stored sealed (KeyEncryption), and only this class sees the stored form.
 */
@Entity
@Table(name = "signing_key")
public class SigningKey {

    @Id
    private String kid;

    @Column(nullable = false)
    private String algorithm;

    /** Sealed; a JWK in the clear only as a version before sealing left it, until the next start seals it. */
    @Column(name = "private_jwk", nullable = false)
    private String sealedJwk;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "retired_at")
    private Instant retiredAt;

    protected SigningKey() {
    }

    public SigningKey(JWK jwk, JWSAlgorithm algorithm, Instant createdAt, KeyEncryption encryption) {
        if (!jwk.isPrivate()) {
            throw new IllegalArgumentException("A signing key needs its private part");
        }
        this.kid = jwk.getKeyID();
        this.algorithm = algorithm.getName();
        this.sealedJwk = encryption.seal(kid, jwk.toJSONString());
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

    public JWK privateJwk(KeyEncryption encryption) {
        try {
            return JWK.parse(encryption.open(kid, sealedJwk));
        } catch (ParseException e) {
            throw new IllegalStateException("Stored signing key " + kid + " is not a JWK", e);
        }
    }

    /**
     * Seals the key under the current key-encryption key if it is not already: left in the clear
     * by an earlier version, or sealed with the previous key-encryption key. Whether it changed.
     */
    public boolean reseal(KeyEncryption encryption) {
        if (encryption.sealedWithCurrent(sealedJwk)) {
            return false;
        }
        String json = KeyEncryption.sealed(sealedJwk) ? encryption.open(kid, sealedJwk) : sealedJwk;
        this.sealedJwk = encryption.seal(kid, json);
        return true;
    }
}
