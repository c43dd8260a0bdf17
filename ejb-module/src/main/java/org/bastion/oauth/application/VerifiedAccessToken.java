package org.bastion.oauth.application;

import com.nimbusds.jwt.JWTClaimsSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** A verified access token, exposed to resources as a MicroProfile JWT principal. */
public final class VerifiedAccessToken implements JsonWebToken {

    private final String rawToken;
    private final JWTClaimsSet claims;

    /** The granted scopes: the scope claim, one space-delimited string (RFC 9068 §2.2.3). */
    public Set<String> scopes() {
        Object scope = claims.getClaim("scope");
        return scope instanceof String s && !s.isBlank() ? Set.copyOf(java.util.Arrays.asList(s.trim().split("\\s+"))) : Set.of();
    }

    /** The claims as Nimbus parsed them. */
    public JWTClaimsSet claims() {
        return claims;
    }

    public VerifiedAccessToken(String rawToken, JWTClaimsSet claims) {
        this.rawToken = rawToken;
        this.claims = claims;
    }

    @Override
    public String getName() {
        return claims.getSubject();
    }

    @Override
    public String getRawToken() {
        return rawToken;
    }

    @Override
    public Set<String> getClaimNames() {
        return claims.getClaims().keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String name) {
        return (T) claims.getClaim(name);
    }
}
