package org.bastion.oauth.application;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.UsedAssertion;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies a JWT a client signed with a key it registered: a client assertion (private_key_jwt,
 * RFC 7523 §2.2) or an authorization grant (RFC 7523 §2.1). Symmetric and unsigned JWTs are
 * refused outright, so a public key can never be used as an HMAC secret.
 */
@Stateless
public class AssertionVerifier {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    private static final Duration SKEW = Duration.ofSeconds(60);
    /** SMART Backend Services: an assertion expires no more than five minutes after it is made. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    ClientKeys clientKeys;

    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    private final Clock clock = Clock.systemUTC();

    /** The assertion's claims, once signature, issuer, audience, expiry and jti have been checked. */
    public JWTClaimsSet verify(String assertion, OAuthClient client, List<String> audiences, String what) throws OAuthException {
        SignedJWT jwt = parse(assertion, what);
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(algorithm)) {
            throw fail(what, "is signed with " + algorithm + "; accepted are " + ALGORITHMS.stream().map(JWSAlgorithm::getName).sorted().toList());
        }
        verifySignature(jwt, client, what);
        JWTClaimsSet claims = claims(jwt, what);
        if (!client.clientId().equals(claims.getIssuer())) {
            throw fail(what, "has iss '" + claims.getIssuer() + "' but must have the client_id '" + client.clientId() + "'");
        }
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(audiences::contains)) {
            throw fail(what, "has aud " + claims.getAudience() + " but must name " + audiences.get(0));
        }
        checkTimes(claims, what);
        rememberJti(claims, client, what);
        return claims;
    }

    private static SignedJWT parse(String assertion, String what) throws OAuthException {
        try {
            JWT jwt = JWTParser.parse(assertion);
            if (jwt instanceof SignedJWT signed) {
                return signed;
            }
            throw fail(what, "is not signed (alg " + jwt.getHeader().getAlgorithm() + "); it must be a JWS");
        } catch (ParseException e) {
            throw fail(what, "is not a JWT: " + e.getMessage());
        }
    }

    private void verifySignature(SignedJWT jwt, OAuthClient client, String what) throws OAuthException {
        String kid = jwt.getHeader().getKeyID();
        List<JWK> candidates = clientKeys.keys(client, kid).getKeys().stream()
                .filter(k -> kid == null || kid.equals(k.getKeyID()))
                .filter(k -> k instanceof AsymmetricJWK)
                .toList();
        if (candidates.isEmpty()) {
            throw fail(what, "names key '" + kid + "', which client " + client.clientId() + " has not registered");
        }
        for (JWK key : candidates) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(jwt.getHeader(), ((AsymmetricJWK) key).toPublicKey()))) {
                    return;
                }
            } catch (JOSEException e) {
                // this key does not fit the algorithm; try the next one
            }
        }
        throw fail(what, "signature does not match any key registered by client " + client.clientId());
    }

    private static JWTClaimsSet claims(SignedJWT jwt, String what) throws OAuthException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw fail(what, "claims are not a JSON object");
        }
    }

    private void checkTimes(JWTClaimsSet claims, String what) throws OAuthException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw fail(what, "has no exp");
        }
        if (exp.toInstant().plus(SKEW).isBefore(now)) {
            throw fail(what, "expired at " + exp.toInstant());
        }
        if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw fail(what, "expires at " + exp.toInstant() + ", more than 5 minutes from now");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(SKEW).isAfter(now)) {
            throw fail(what, "is not valid before " + nbf.toInstant());
        }
    }

    private void rememberJti(JWTClaimsSet claims, OAuthClient client, String what) throws OAuthException {
        String jti = claims.getJWTID();
        if (jti == null || jti.isBlank()) {
            throw fail(what, "has no jti");
        }
        if (jti.length() > 255) {
            throw fail(what, "has a jti longer than 255 characters");
        }
        if (em.find(UsedAssertion.class, new UsedAssertion.Key(client.clientId(), jti)) != null) {
            throw fail(what, "jti '" + jti + "' was already used; make a new assertion for every request");
        }
        em.persist(new UsedAssertion(client.clientId(), jti, claims.getExpirationTime().toInstant().plus(SKEW)));
        em.flush();
    }

    private static OAuthException fail(String what, String reason) {
        return what.startsWith("Client assertion")
                ? OAuthException.invalidClient(what + " " + reason)
                : OAuthException.invalidGrant(what + " " + reason);
    }
}
