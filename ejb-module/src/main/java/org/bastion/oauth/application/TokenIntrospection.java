package org.bastion.oauth.application;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.RefreshToken;
import org.bastion.oauth.domain.Secrets;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Token introspection (RFC 7662) and revocation (RFC 7009) of Bastion's access and refresh tokens. */
@Stateless
public class TokenIntrospection {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    AccessTokenVerifier verifier;

    @EJB
    TokenIssuer issuer;

    @EJB
    Revocations revocations;

    private final Clock clock = Clock.systemUTC();

    /**
     * RFC 7662 §2.2: active with the token's claims, or just active:false (expired, revoked,
     * unknown, foreign). A client learns about its own tokens only, unless an admin made it a
     * resource server (§4: the server decides which clients may introspect which tokens).
     */
    public Map<String, Object> introspect(String token, OAuthClient caller) throws OAuthException {
        requireConfidential(caller, "introspect tokens");
        Map<String, Object> result = new LinkedHashMap<>();
        Optional<VerifiedAccessToken> access = accessToken(token);
        if (access.isPresent()) {
            // verified: signed by Bastion, in its lifetime, for this audience, not revoked
            if (mayIntrospect(caller, access.get().clientId())) {
                result.put("active", true);
                result.put("token_type", "Bearer");
                result.putAll(access.get().claims().toJSONObject());
                return result;
            }
        }
        Optional<RefreshToken> refresh = refreshToken(token).filter(r -> r.active(clock.instant()) && mayIntrospect(caller, r.clientId()));
        if (refresh.isPresent()) {
            RefreshToken r = refresh.get();
            result.put("active", true);
            result.put("token_type", "refresh_token");
            result.put("client_id", r.clientId());
            result.put("scope", r.context().scope());
            result.put("sub", r.context().userId() != null ? r.context().userId() : r.clientId());
            Optional.ofNullable(r.context().userId()).map(id -> em.find(BastionUser.class, id))
                    .ifPresent(u -> result.put("username", u.username()));
            result.put("iat", r.issuedAt().getEpochSecond());
            result.put("exp", r.expiresAt().getEpochSecond());
            return result;
        }
        result.put("active", false);
        return result;
    }

    /**
     * RFC 7009 §2.1: revokes an access token, or a refresh token with its whole grant. A token
     * that is unknown or already invalid is no error (§2.2); one of another client is refused.
     */
    public void revoke(String token, OAuthClient caller) throws OAuthException {
        Instant now = clock.instant();
        Optional<RefreshToken> refresh = refreshToken(token);
        if (refresh.isPresent()) {
            checkOwner(refresh.get().clientId(), caller);
            issuer.revokeGrant(refresh.get().grantId());
            return;
        }
        Optional<JWTClaimsSet> claims = signedClaims(token);
        if (claims.isPresent() && claims.get().getJWTID() != null && claims.get().getExpirationTime() != null) {
            Instant expiry = claims.get().getExpirationTime().toInstant();
            if (expiry.plus(AccessTokenVerifier.CLOCK_SKEW).isAfter(now)) {
                checkOwner(String.valueOf(claims.get().getClaim("client_id")), caller);
                revocations.revokeToken(claims.get().getJWTID(), expiry);
            }
        }
    }

    private Optional<VerifiedAccessToken> accessToken(String token) {
        try {
            return Optional.of(verifier.verify(token));
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }

    /** The claims of a JWT Bastion signed, expired or not (an expired one needs no revocation). */
    private Optional<JWTClaimsSet> signedClaims(String token) {
        if (token.length() > AccessTokenVerifier.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            return verifier.signedByBastion(jwt) ? Optional.of(claims) : Optional.empty();
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private Optional<RefreshToken> refreshToken(String token) {
        if (token.length() > 100 || token.contains(".")) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(RefreshToken.class, Secrets.hash(token)));
    }

    private static boolean mayIntrospect(OAuthClient caller, String owner) {
        return caller.resourceServer() || caller.clientId().equals(owner);
    }

    private static void checkOwner(String owner, OAuthClient caller) throws OAuthException {
        if (!caller.clientId().equals(owner)) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "The token was issued to another client; a client can only revoke its own tokens");
        }
    }

    private static void requireConfidential(OAuthClient caller, String what) throws OAuthException {
        if (caller.isPublic()) {
            throw OAuthException.invalidClient("Client " + caller.clientId() + " is public and cannot " + what
                    + "; introspection is for authenticated (confidential) clients such as resource servers");
        }
    }
}
