package org.bastion.oauth.application;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;

/** Signs the JWTs Bastion issues with the active key and the configured algorithm. */
@ApplicationScoped
public class TokenSigner {

    public static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");

    @EJB
    SigningKeys signingKeys;

    private final DefaultJWSSignerFactory signers = new DefaultJWSSignerFactory();

    public SignedJWT sign(JWTClaimsSet claims, JOSEObjectType type) {
        JWK key = signingKeys.signingKey();
        JWSAlgorithm algorithm = signingKeys.signingAlgorithm();
        JWSHeader header = new JWSHeader.Builder(algorithm).type(type).keyID(key.getKeyID()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signers.createJWSSigner(key, algorithm));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign with key " + key.getKeyID(), e);
        }
        return jwt;
    }

    public JWSAlgorithm algorithm() {
        return signingKeys.signingAlgorithm();
    }
}
