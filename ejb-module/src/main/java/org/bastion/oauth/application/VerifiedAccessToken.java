package org.bastion.oauth.application;

import com.nimbusds.jwt.JWTClaimsSet;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;

/** A verified access token, exposed to resources as a MicroProfile JWT principal. */
public final class VerifiedAccessToken implements JsonWebToken {

    private final String rawToken;
    private final JWTClaimsSet claims;
    private final boolean issuedHere;
    private final String userClaim;
    private final String patientClaim;

    /** The user's FHIR identity (fhirUser, or the claim an external issuer is configured with), or null. */
    /** The client the token was issued to: client_id (RFC 9068), else azp (OpenID Connect); null when it names none. */
    public String clientId() {
        return claims.getClaim("client_id") instanceof String c ? c : claims.getClaim("azp") instanceof String a ? a : null;
    }

    public String fhirUser() {
        return claims.getClaim(userClaim) instanceof String s ? s : null;
    }

    /** The launch patient (patient, or the claim an external issuer is configured with), or null. */
    public String patient() {
        return claims.getClaim(patientClaim) instanceof String s ? s : null;
    }

    /** Whether Bastion issued the token (rather than a registered external issuer). */
    public boolean issuedHere() {
        return issuedHere;
    }

    /**
     * The granted scopes: the scope claim, one space-delimited string (RFC 9068 §2.2.3), or, as
     * some identity providers (Okta, Azure AD) issue them, an scp array or space-delimited string.
     */
    public Set<String> scopes() {
        Set<String> scopes = new java.util.LinkedHashSet<>();
        for (String name : new String[]{"scope", "scp"}) {
            Object value = claims.getClaim(name);
            if (value instanceof String s && !s.isBlank()) {
                scopes.addAll(java.util.Arrays.asList(s.trim().split("\\s+")));
            } else if (value instanceof java.util.Collection<?> list) {
                list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
            }
        }
        return scopes;
    }

    /** The claims as Nimbus parsed them. */
    public JWTClaimsSet claims() {
        return claims;
    }

    public VerifiedAccessToken(String rawToken, JWTClaimsSet claims, boolean issuedHere, String userClaim, String patientClaim) {
        this.rawToken = rawToken;
        this.claims = claims;
        this.issuedHere = issuedHere;
        this.userClaim = userClaim;
        this.patientClaim = patientClaim;
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
