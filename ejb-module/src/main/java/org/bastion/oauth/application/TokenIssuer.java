package org.bastion.oauth.application;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.audit.application.AuditTrail;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.domain.GrantContext;
import org.bastion.oauth.domain.IssuedAccessToken;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.RefreshToken;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issues the tokens of a grant: an RFC 9068 access token, a refresh token when offline or
 * online access was granted, an OpenID Connect ID token when openid was, and the SMART launch
 * context beside them in the token response.
 */
@Stateless
public class TokenIssuer {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    TokenSigner signer;

    @Inject
    BastionSettings settings;

    @EJB
    Revocations revocations;

    @EJB
    AuditTrail trail;

    private final Clock clock = Clock.systemUTC();

    /** What a grant handler asks for: the grant, and whether a refresh token and ID token may come with it. */
    public record Issue(OAuthClient client, GrantContext context, String grantId, boolean refreshable, String nonce,
                        Instant refreshExpiry) {
    }

    public AccessTokenResponse issue(Issue request) throws OAuthException {
        Instant now = clock.instant();
        GrantContext context = request.context();
        Set<String> scopes = Set.copyOf(new Scope(context.scope().split(" ")).toStringList());
        BastionUser user = context.userId() == null ? null : em.find(BastionUser.class, context.userId());
        if (context.userId() != null && (user == null || !user.enabled())) {
            // a grant outlives nothing of its user: a code, refresh token or assertion of a disabled or deleted user is spent
            throw OAuthException.invalidGrant("The user of this grant " + (user == null ? "no longer exists" : "has been disabled by an admin"));
        }
        Duration lifetime = ClientRegistry.accessTokenLifetime(request.client().metadata()).orElse(settings.accessTokenLifetime());
        SignedJWT accessJwt = accessToken(request, user, now, lifetime);
        BearerAccessToken accessToken = new BearerAccessToken(accessJwt.serialize(), lifetime.toSeconds(),
                context.scope().isBlank() ? null : Scope.parse(context.scope()));
        com.nimbusds.oauth2.sdk.token.RefreshToken refreshToken = null;
        if (request.refreshable() && (scopes.contains("offline_access") || scopes.contains("online_access"))) {
            String value = Secrets.random();
            Instant expiry = request.refreshExpiry() != null ? request.refreshExpiry() : now.plus(settings.refreshTokenLifetime());
            em.persist(new RefreshToken(Secrets.hash(value), request.grantId(), request.client().clientId(), context, now, expiry));
            refreshToken = new com.nimbusds.oauth2.sdk.token.RefreshToken(value);
        }
        Map<String, Object> smart = launchContext(context);
        if (scopes.contains("openid") && user != null) {
            SignedJWT idToken = idToken(request, user, scopes, accessToken, now, lifetime);
            return new OIDCTokenResponse(new OIDCTokens(idToken, accessToken, refreshToken), smart);
        }
        return new AccessTokenResponse(new Tokens(accessToken, refreshToken), smart);
    }

    /** Revokes every token of a grant: what a replayed code or refresh token, or a user's revocation, calls for. */
    public void revokeGrant(String grantId) {
        Instant now = clock.instant();
        em.createQuery("update RefreshToken r set r.revokedAt = :now where r.grantId = :grant and r.revokedAt is null")
                .setParameter("now", now).setParameter("grant", grantId).executeUpdate();
        revocations.revokeGrant(grantId);
    }

    private SignedJWT accessToken(Issue request, BastionUser user, Instant now, Duration lifetime) {
        GrantContext context = request.context();
        String jti = Revocations.jtiOf(request.grantId(), now);
        String subject = user != null ? user.id() : request.client().clientId();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(settings.fhirBase())
                .expirationTime(Date.from(now.plus(lifetime)))
                .issueTime(Date.from(now))
                .jwtID(jti)
                .claim("client_id", request.client().clientId())
                .claim("scope", context.scope());
        if (context.authTime() != null) {
            claims.claim("auth_time", context.authTime().getEpochSecond());
        }
        if (user != null && user.fhirUser() != null) {
            claims.claim("fhirUser", user.fhirUserUrl(settings.fhirBase()));
        }
        if (context.patient() != null) {
            claims.claim("patient", context.patient());
        }
        if (context.encounter() != null) {
            claims.claim("encounter", context.encounter());
        }
        SignedJWT signed = signer.sign(claims.build(), TokenSigner.ACCESS_TOKEN);
        // the record admins list, committed with the audit records of the moment (one commit for many tokens)
        trail.commit(new IssuedAccessToken(jti, request.grantId(), request.client().clientId(), subject, context.scope(),
                now, now.plus(lifetime)), "Record of access token " + jti);
        return signed;
    }

    private SignedJWT idToken(Issue request, BastionUser user, Set<String> scopes, BearerAccessToken accessToken,
                              Instant now, Duration lifetime) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(user.id())
                .audience(request.client().clientId())
                .expirationTime(Date.from(now.plus(lifetime)))
                .issueTime(Date.from(now))
                .claim("at_hash", AccessTokenHash.compute(accessToken, signer.algorithm(), null).getValue());
        if (request.context().authTime() != null) {
            claims.claim("auth_time", request.context().authTime().getEpochSecond());
        }
        if (request.nonce() != null) {
            claims.claim("nonce", request.nonce());
        }
        if (scopes.contains("fhirUser") && user.fhirUser() != null) {
            claims.claim("fhirUser", user.fhirUserUrl(settings.fhirBase()));
        }
        if (scopes.contains("profile")) {
            claims.claim("preferred_username", user.username());
        }
        return signer.sign(claims.build(), JOSEObjectType.JWT);
    }

    private Map<String, Object> launchContext(GrantContext context) {
        Map<String, Object> smart = new LinkedHashMap<>();
        if (context.patient() != null) {
            smart.put("patient", context.patient());
            // An EHR launch (the launch scope) runs inside an EHR that shows the patient banner itself;
            // a standalone app, whose user picked the patient, must show it.
            smart.put("need_patient_banner", !List.of(context.scope().split(" ")).contains("launch"));
        }
        if (context.encounter() != null) {
            smart.put("encounter", context.encounter());
        }
        if (!smart.isEmpty()) {
            smart.put("smart_style_url", settings.issuer() + "/smart-style.json");
        }
        return smart;
    }
}
