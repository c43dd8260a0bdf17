package org.bastion.oauth.application;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The active signing keys as one node last read them, newest first. */
public record KeyRing(List<JWK> keys, Instant loadedAt) {

    public Optional<JWK> find(String kid) {
        return keys.stream().filter(k -> k.getKeyID().equals(kid)).findFirst();
    }

    /** What /oauth2/jwks publishes: the public halves only. */
    public JWKSet publicJwkSet() {
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    }
}
