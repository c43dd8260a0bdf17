package org.bastion.identity.application;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import net.minidev.json.JSONObject;
import org.bastion.identity.domain.ExternalIssuer;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.InvalidInputException;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The registry of trusted external issuers (an admin registers each by its discovery URL). */
@Stateless
public class ExternalIssuers {

    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    IssuerKeys keys;

    @Inject
    BastionSettings settings;

    /** A registered issuer with the keys it published when fetched. */
    public record Registered(ExternalIssuer issuer, JWKSet keys) {
    }

    /**
     * Fetches the discovery document and the JWKS it names, then registers the issuer (or updates
     * it when it is known). Any problem is a 400 naming the field and what was wrong.
     */
    public Registered register(String discoveryUrl, String audience, String userClaim, String patientClaim) {
        if (discoveryUrl == null || discoveryUrl.isBlank()) {
            throw new InvalidInputException("discovery_url", "is required, e.g. https://idp.example.org/oauth2/default/.well-known/openid-configuration");
        }
        checkClaim("user_claim", userClaim);
        checkClaim("patient_claim", patientClaim);
        if (audience != null && (audience.isBlank() || audience.length() > 1024)) {
            throw new InvalidInputException("audience", "must be a non-empty string of at most 1024 characters, or left out for the FHIR base URL");
        }
        JSONObject metadata;
        String document;
        try {
            document = keys.get(discoveryUrl);
            metadata = JSONObjectUtils.parse(document);
        } catch (IOException e) {
            throw new InvalidInputException("discovery_url", "could not be fetched: " + e.getMessage());
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new InvalidInputException("discovery_url", "did not return a JSON object: " + e.getMessage());
        }
        String issuer = metadata.get("issuer") instanceof String s ? s : null;
        String jwksUri = metadata.get("jwks_uri") instanceof String s ? s : null;
        if (issuer == null || jwksUri == null) {
            throw new InvalidInputException("discovery_url", "returned a document without issuer and jwks_uri; is it an OpenID Connect or RFC 8414 discovery URL?");
        }
        if (!discoveredAt(issuer, discoveryUrl)) {
            // OpenID Connect Discovery §4.3: a document may only speak for the issuer whose URL it is served under
            throw new InvalidInputException("discovery_url", "names issuer " + issuer + ", but a discovery document must come from its own issuer's URL: "
                    + strip(issuer) + "/.well-known/openid-configuration (or the RFC 8414 oauth-authorization-server form), not " + discoveryUrl);
        }
        if (issuer.equals(settings.issuer())) {
            throw new InvalidInputException("discovery_url", "is this server's own; its tokens are trusted already");
        }
        JWKSet published;
        try {
            published = keys.fetch(jwksUri);
        } catch (IOException e) {
            throw new InvalidInputException("discovery_url", "names jwks_uri " + jwksUri + ", which could not be used: " + e.getMessage());
        }
        ExternalIssuer registered = em.find(ExternalIssuer.class, issuer);
        if (registered == null) {
            registered = new ExternalIssuer(issuer, discoveryUrl, jwksUri, document, Instant.now());
            em.persist(registered);
        } else {
            registered.rediscovered(discoveryUrl, jwksUri, document);
        }
        registered.configure(audience, userClaim, patientClaim);
        return new Registered(registered, published);
    }

    /** Whether a discovery URL is the issuer's own: issuer + /.well-known/openid-configuration, or RFC 8414 §3's form. */
    static boolean discoveredAt(String issuer, String discoveryUrl) {
        String base = strip(issuer);
        if (discoveryUrl.equals(base + "/.well-known/openid-configuration") || discoveryUrl.equals(base + "/.well-known/oauth-authorization-server")) {
            return true;
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(base);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return discoveryUrl.equals(origin + "/.well-known/oauth-authorization-server" + path)
                || discoveryUrl.equals(origin + "/.well-known/openid-configuration" + path);
    }

    private static String strip(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    public Optional<ExternalIssuer> find(String issuer) {
        return issuer == null ? Optional.empty() : Optional.ofNullable(em.find(ExternalIssuer.class, issuer));
    }

    public List<ExternalIssuer> list() {
        return em.createQuery("select i from ExternalIssuer i order by i.issuer", ExternalIssuer.class).getResultList();
    }

    public boolean delete(String issuer) {
        ExternalIssuer found = em.find(ExternalIssuer.class, issuer);
        if (found == null) {
            return false;
        }
        em.remove(found);
        return true;
    }

    private static void checkClaim(String field, String claim) {
        if (claim != null && !CLAIM.matcher(claim).matches()) {
            throw new InvalidInputException(field, "must be a claim name (1 to 100 of A-Z a-z 0-9 _ . : -)");
        }
    }
}
