package org.bastion.oauth.application;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.SigningKey;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.KeyEncryption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The signing keys, read from the database and cached briefly: another node may rotate them,
 * so the cache expires, and an unknown kid forces a reload. Their private halves are stored
 * sealed with the key-encryption key (KeyEncryption) and opened only here.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
    /** How long a node serves the keys it read (docs/operations.md: a key rotated on one node is published by every node within this). */
    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    static final List<JWSAlgorithm> SUPPORTED = List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.ES256);

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    BastionSettings settings;

    private final Clock clock = Clock.systemUTC();
    private volatile KeyRing cached;
    private volatile KeyEncryption encryption;

    /**
     * Seals every stored key under the current key-encryption key, then creates the first key
     * (imported from BASTION_SIGNING_KEY_FILE, or generated) when there is none.
     */
    public void ensureSigningKey() {
        sealStoredKeys();
        JWSAlgorithm algorithm = signingAlgorithm();
        if (activeKeys().stream().anyMatch(k -> fits(k.privateJwk(encryption()), algorithm))) {
            return;
        }
        JWK jwk = settings.signingKeyFile().map(SigningKeys::readKeyFile)
                .orElseGet(() -> JWSAlgorithm.Family.EC.contains(algorithm) ? generateEcKey() : generateRsaKey());
        if (!fits(jwk, algorithm)) {
            throw new IllegalStateException("Signing key " + jwk.getKeyID() + " (" + jwk.getKeyType() + ") cannot sign "
                    + algorithm + "; set BASTION_SIGNING_ALG to match the key");
        }
        em.persist(new SigningKey(jwk, algorithm, clock.instant(), encryption()));
        em.flush();
        cached = null;
        LOG.info(() -> "Signing key " + jwk.getKeyID() + " "
                + (settings.signingKeyFile().isPresent() ? "imported from " + settings.signingKeyFile().get() : "generated"));
    }

    /** The configured JWS algorithm of issued tokens (BASTION_SIGNING_ALG). */
    public JWSAlgorithm signingAlgorithm() {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(settings.signingAlgorithm());
        if (!SUPPORTED.contains(algorithm)) {
            throw new IllegalStateException("BASTION_SIGNING_ALG " + algorithm + " is not one of " + SUPPORTED);
        }
        return algorithm;
    }

    /** The newest active key that can sign with the configured algorithm. */
    public JWK signingKey() {
        JWSAlgorithm algorithm = signingAlgorithm();
        return keyRing().keys().stream().filter(k -> fits(k, algorithm)).findFirst()
                .orElseThrow(() -> new IllegalStateException("No active signing key fits " + algorithm));
    }

    static boolean fits(JWK key, JWSAlgorithm algorithm) {
        if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
            return key instanceof RSAKey;
        }
        return key instanceof ECKey ec && Curve.forJWSAlgorithm(algorithm).contains(ec.getCurve());
    }

    public KeyRing keyRing() {
        KeyRing ring = cached;
        if (ring == null || ring.loadedAt().plus(CACHE_TTL).isBefore(clock.instant())) {
            ring = load();
        }
        return ring;
    }

    /** The key with this kid, reloading once if this node has not seen it yet. */
    public Optional<JWK> find(String kid) {
        Optional<JWK> key = keyRing().find(kid);
        return key.isPresent() ? key : load().find(kid);
    }

    /**
     * Makes a new key the signing key. The previous one stays published (and trusted) until every
     * token it signed has expired, so rotation never breaks a token in flight.
     */
    public JWK rotate() {
        JWSAlgorithm algorithm = signingAlgorithm();
        JWK jwk = JWSAlgorithm.Family.EC.contains(algorithm) ? generateEcKey() : generateRsaKey();
        em.persist(new SigningKey(jwk, algorithm, clock.instant(), encryption()));
        em.flush();
        cached = null;
        LOG.info(() -> "Signing key rotated: " + jwk.getKeyID() + " signs from now on");
        return jwk;
    }

    /**
     * Retires a published key that no longer signs: it leaves the JWKS and tokens it signed stop
     * being accepted (on other nodes when their key ring is next reloaded).
     */
    public void retire(String kid) {
        if (kid.equals(signingKey().getKeyID())) {
            throw new org.bastion.platform.InvalidInputException("kid", "'" + kid + "' is the signing key; rotate first, then retire it");
        }
        SigningKey key = kid.length() > 100 ? null : em.find(SigningKey.class, kid);
        if (key == null || key.retired()) {
            throw new org.bastion.platform.InvalidInputException("kid", "no published key '" + kid + "'");
        }
        key.retire(clock.instant());
        em.flush();
        cached = null;
        LOG.info(() -> "Signing key retired: " + kid);
    }

    private KeyRing load() {
        List<SigningKey> keys = activeKeys();
        Instant now = clock.instant();
        Duration overlap = settings.accessTokenLifetime().plus(Duration.ofMinutes(5));
        List<JWK> published = new java.util.ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            // keys are newest first: an older key is kept while tokens it signed before its successor came may live
            if (i == 0 || keys.get(i - 1).createdAt().plus(overlap).isAfter(now)) {
                published.add(keys.get(i).privateJwk(encryption()));
            }
        }
        KeyRing ring = new KeyRing(List.copyOf(published), now);
        cached = ring;
        return ring;
    }

    /**
     * Keys in the clear (stored by a version before sealing) and keys sealed with the previous
     * key-encryption key are sealed with the current one, retired keys too, so that once the
     * previous key is removed nothing needs it.
     */
    private void sealStoredKeys() {
        int resealed = 0;
        for (SigningKey key : em.createQuery("select k from SigningKey k", SigningKey.class).getResultList()) {
            if (key.reseal(encryption())) {
                resealed++;
            }
        }
        if (resealed > 0) {
            em.flush();
            cached = null;
            int count = resealed;
            LOG.info(() -> count + " stored private key(s) sealed with key-encryption key " + encryption().currentId());
        }
    }

    private KeyEncryption encryption() {
        KeyEncryption current = encryption;
        if (current == null) {
            current = KeyEncryption.configured(settings);
            encryption = current;
        }
        return current;
    }

    private List<SigningKey> activeKeys() {
        return em.createQuery("select k from SigningKey k where k.retiredAt is null order by k.createdAt desc", SigningKey.class)
                .getResultList();
    }

    static JWK generateEcKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate an EC key", e);
        }
    }

    static JWK generateRsaKey() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate an RSA key", e);
        }
    }

    static JWK readKeyFile(Path file) {
        try {
            String json = Files.readString(file);
            JWK jwk = json.contains("\"keys\"") ? JWKSet.parse(json).getKeys().get(0) : JWK.parse(json);
            if (!jwk.isPrivate()) {
                throw new IllegalStateException("Signing key file " + file + " holds no private key");
            }
            return jwk.getKeyID() != null ? jwk : withThumbprintKid(jwk);
        } catch (IOException | ParseException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("Signing key file " + file + " is not a readable JWK: " + e.getMessage(), e);
        }
    }

    private static JWK withThumbprintKid(JWK jwk) throws ParseException {
        try {
            Map<String, Object> json = jwk.toJSONObject();
            json.put("kid", jwk.computeThumbprint().toString());
            return JWK.parse(json);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot compute the key's thumbprint", e);
        }
    }
}
