package org.bastion.oauth.application;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.identity.application.ExternalIssuers;
import org.bastion.identity.application.IssuerKeys;
import org.bastion.identity.domain.ExternalIssuer;
import org.bastion.platform.BastionSettings;

import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Verifies Bastion's own access tokens (RFC 9068 JWTs) for the resource server. Each check
 * fails with its own reason, so a 401 tells the developer what to fix.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
    /** Far above any token Bastion issues; a larger one is refused before it is parsed. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    static final Set<JWSAlgorithm> ACCEPTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    /** RFC 9068 §4: an access token says so in its typ header, so an ID token cannot pass as one. */
    static final Set<JOSEObjectType> ACCESS_TOKEN_TYPES = Set.of(new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"));

    @EJB
    SigningKeys signingKeys;

    @Inject
    BastionSettings settings;

    @EJB
    Revocations revocations;

    @EJB
    ExternalIssuers externalIssuers;

    @Inject
    IssuerKeys issuerKeys;

    private final Clock clock = Clock.systemUTC();
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

    /** Bastion's own access tokens only: for the admin API and userinfo. */
    public VerifiedAccessToken verify(String token) throws InvalidTokenException {
        SignedJWT jwt = parseChecked(token);
        JWTClaimsSet claims = claims(jwt);
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw new InvalidTokenException("Token issuer '" + claims.getIssuer() + "' is not trusted; expected '"
                    + settings.issuer() + "'");
        }
        return verifyOwn(token, jwt, claims);
    }

    /**
     * For the FHIR API: Bastion's own tokens, and those of registered external issuers, each
     * verified with its own issuer's keys only.
     */
    public VerifiedAccessToken verifyForFhir(String token) throws InvalidTokenException {
        SignedJWT jwt = parseChecked(token);
        JWTClaimsSet claims = claims(jwt);
        if (settings.issuer().equals(claims.getIssuer())) {
            return verifyOwn(token, jwt, claims);
        }
        ExternalIssuer issuer = externalIssuers.find(claims.getIssuer()).filter(ExternalIssuer::enabled).orElseThrow(() ->
                new InvalidTokenException("Token issuer '" + claims.getIssuer() + "' is not trusted: it is neither this server ('"
                        + settings.issuer() + "') nor a registered external issuer (admins register one at /admin/api/issuers)"));
        String kid = jwt.getHeader().getKeyID();
        JWK jwk;
        try {
            jwk = issuerKeys.key(issuer.jwksUri(), kid).orElseThrow(() -> new InvalidTokenException("Token was signed with key '" + kid
                    + "', which is not among the keys of issuer " + issuer.issuer() + " (" + issuer.jwksUri() + ")"));
        } catch (java.io.IOException e) {
            throw new InvalidTokenException("The keys of issuer " + issuer.issuer() + " cannot be fetched now (" + e.getMessage() + ")");
        }
        verifySignature(jwt, jwk, kid);
        checkLifetime(claims);
        String audience = issuer.audience() != null ? issuer.audience() : settings.fhirBase();
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new InvalidTokenException("Token audience " + claims.getAudience() + " does not include '" + audience
                    + "', the audience configured for issuer " + issuer.issuer());
        }
        return new VerifiedAccessToken(token, claims, false, issuer.userClaim(), issuer.patientClaim());
    }

    /** Size, JWS structure and algorithm: what every token must pass before its issuer is looked at. */
    private static SignedJWT parseChecked(String token) throws InvalidTokenException {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("Token is " + token.length() + " characters long; at most "
                    + MAX_TOKEN_LENGTH + " are accepted");
        }
        SignedJWT jwt = parse(token);
        if (!ACCEPTED_ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("Token algorithm " + jwt.getHeader().getAlgorithm()
                    + " is not accepted; tokens must be signed with one of " + names(ACCEPTED_ALGORITHMS));
        }
        return jwt;
    }

    private VerifiedAccessToken verifyOwn(String token, SignedJWT jwt, JWTClaimsSet claims) throws InvalidTokenException {
        JWSHeader header = jwt.getHeader();
        if (header.getType() == null || !ACCESS_TOKEN_TYPES.contains(header.getType())) {
            throw new InvalidTokenException("Token type (typ header) is " + header.getType()
                    + "; an access token must have typ at+jwt (RFC 9068)");
        }
        verifySignature(jwt);
        checkLifetime(claims);
        checkAudience(claims);
        if (claims.getJWTID() == null) {
            throw new InvalidTokenException("Token has no jti; every access token Bastion issues has one");
        }
        Object clientId = claims.getClaim("client_id");
        if (revocations.revoked(claims.getJWTID(), claims.getSubject(), clientId instanceof String c ? c : null,
                claims.getIssueTime() == null ? null : claims.getIssueTime().toInstant())) {
            throw new InvalidTokenException("Token was revoked (by its client, by the user, or because its grant was revoked)");
        }
        return new VerifiedAccessToken(token, claims, true, "fhirUser", "patient");
    }

    private static SignedJWT parse(String token) throws InvalidTokenException {
        try {
            return SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("Token is not a signed JWT: " + e.getMessage());
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) throws InvalidTokenException {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("Token is not a signed JWT: its claims are not a JSON object (" + e.getMessage() + ")");
        }
    }

    /** Whether a key from Bastion's JWKS signed this JWT (nothing else is checked). */
    public boolean signedByBastion(SignedJWT jwt) {
        try {
            verifySignature(jwt);
            return true;
        } catch (InvalidTokenException e) {
            return false;
        }
    }

    private void verifySignature(SignedJWT jwt) throws InvalidTokenException {
        String kid = jwt.getHeader().getKeyID();
        if (kid == null) {
            throw new InvalidTokenException("Token header has no kid; Bastion signs with a key from " + settings.issuer() + "/jwks");
        }
        JWK jwk = signingKeys.find(kid).orElseThrow(() -> new InvalidTokenException(
                "Token was signed with key '" + kid + "', which is not in " + settings.issuer() + "/jwks"));
        verifySignature(jwt, jwk, kid);
    }

    private void verifySignature(SignedJWT jwt, JWK jwk, String kid) throws InvalidTokenException {
        try {
            Key key = ((AsymmetricJWK) jwk).toPublicKey();
            JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), key);
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("Token signature does not match key '" + kid + "'");
            }
        } catch (JOSEException | ClassCastException e) {
            throw new InvalidTokenException("Token signature cannot be checked with key '" + kid + "': " + e.getMessage());
        }
    }

    private void checkLifetime(JWTClaimsSet claims) throws InvalidTokenException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException("Token has no exp claim");
        }
        if (exp.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
            throw new InvalidTokenException("Token expired at " + exp.toInstant() + " (server time " + now + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw new InvalidTokenException("Token is not valid before " + nbf.toInstant() + " (server time " + now + ")");
        }
    }

    private void checkAudience(JWTClaimsSet claims) throws InvalidTokenException {
        List<String> audience = claims.getAudience();
        if (!audience.contains(settings.fhirBase())) {
            throw new InvalidTokenException("Token audience " + audience + " does not include this FHIR server; expected '"
                    + settings.fhirBase() + "'");
        }
    }

    private static String names(Set<JWSAlgorithm> algorithms) {
        return algorithms.stream().map(JWSAlgorithm::getName).sorted().toList().toString();
    }
}
