package org.bastion.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** Access tokens shaped like Bastion's (RFC 9068), with one property changed per test. */
final class Tokens {

    static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private Tokens() {
    }

    /** A backend service's token: the server's admin-created system client acting for itself, with system/*.*. */
    static JWTClaimsSet.Builder claims(String baseUrl) {
        Instant now = Instant.now();
        String client = OAuthClientSupport.systemClient(baseUrl);
        return new JWTClaimsSet.Builder()
                .issuer(baseUrl + "/oauth2")
                .subject(client)
                .audience(baseUrl + "/fhir/r4")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", client)
                .claim("scope", "system/*.*");
    }

    static String sign(JWTClaimsSet claims, RSAKey key) {
        return sign(claims, key, AT_JWT);
    }

    static String sign(JWTClaimsSet claims, RSAKey key, JOSEObjectType type) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(type).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** alg "none": the classic downgrade (RFC 8725 §2.1). */
    static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /** HS256 keyed with the server's public key: the algorithm-confusion attack (RFC 8725 §2.1). */
    static String hmacWithPublicKey(JWTClaimsSet claims, RSAKey key) {
        try {
            byte[] secret = key.toPublicJWK().toJSONString().getBytes();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).type(AT_JWT).build(), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token whose signature was made over other claims. */
    static String withForeignSignature(String token, String other) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + parts[1] + "." + other.split("\\.")[2];
    }
}
