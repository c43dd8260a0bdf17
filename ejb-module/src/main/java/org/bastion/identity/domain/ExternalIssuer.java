package org.bastion.identity.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A trusted external identity provider: its issuer and JWKS location from its discovery
 * document, the audience its tokens must carry (the FHIR base when none is set), and the claims
 * that hold the user's FHIR identity (fhirUser) and the launch patient.
 */
@Entity
@Table(name = "external_issuer")
public class ExternalIssuer {

    public static final String DEFAULT_USER_CLAIM = "fhirUser";
    public static final String DEFAULT_PATIENT_CLAIM = "patient";

    @Id
    private String issuer;

    @Column(name = "discovery_url", nullable = false)
    private String discoveryUrl;

    @Column(name = "jwks_uri", nullable = false)
    private String jwksUri;

    private String audience;

    @Column(name = "user_claim", nullable = false)
    private String userClaim;

    @Column(name = "patient_claim", nullable = false)
    private String patientClaim;

    @Column(nullable = false)
    private String metadata;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ExternalIssuer() {
    }

    public ExternalIssuer(String issuer, String discoveryUrl, String jwksUri, String metadata, Instant createdAt) {
        this.issuer = issuer;
        this.discoveryUrl = discoveryUrl;
        this.jwksUri = jwksUri;
        this.metadata = metadata;
        this.createdAt = createdAt;
        this.enabled = true;
        this.userClaim = DEFAULT_USER_CLAIM;
        this.patientClaim = DEFAULT_PATIENT_CLAIM;
    }

    /** Registered again: the issuer's document as it is now, with its jwks_uri (keys may have moved). */
    public void rediscovered(String discoveryUrl, String jwksUri, String metadata) {
        this.discoveryUrl = discoveryUrl;
        this.jwksUri = jwksUri;
        this.metadata = metadata;
    }

    public void configure(String audience, String userClaim, String patientClaim) {
        this.audience = audience;
        this.userClaim = userClaim == null ? DEFAULT_USER_CLAIM : userClaim;
        this.patientClaim = patientClaim == null ? DEFAULT_PATIENT_CLAIM : patientClaim;
    }

    public String issuer() {
        return issuer;
    }

    public String discoveryUrl() {
        return discoveryUrl;
    }

    public String jwksUri() {
        return jwksUri;
    }

    /** The audience tokens must carry, or null for the FHIR base URL. */
    public String audience() {
        return audience;
    }

    public String userClaim() {
        return userClaim;
    }

    public String patientClaim() {
        return patientClaim;
    }

    public String metadata() {
        return metadata;
    }

    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
