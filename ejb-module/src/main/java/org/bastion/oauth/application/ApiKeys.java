package org.bastion.oauth.application;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.ApiKey;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.InvalidInputException;
import org.bastion.smart.domain.SmartScope;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API keys (x-api-key) for system integrations that cannot do client_credentials: an admin issues
 * one for a client, with some of that client's system/ scopes, or patient/ scopes and one patient
 * (or an organization: then each patient whose managingOrganization it is);
 * the holder then acts as that client with those scopes. Weaker than a token (a long-lived secret
 * sent with every request, no proof of possession), so off unless BASTION_API_KEYS=on (or the
 * setting api_keys). A key is {@value #PREFIX}ID_SECRET: the id finds the row, the secret's hash is
 * compared in constant time.
 */
@Stateless
public class ApiKeys {

    public static final String PREFIX = "bak_";
    /** What a key's requests are recorded under in the audit trail (the token id): api-key:ID. */
    public static final String TOKEN_ID_PREFIX = "api-key:";
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
    /** How often a key's last use is written: at most once a minute, not on every request. */
    static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    ClientRegistry clients;

    @Inject
    BastionSettings settings;

    private final Clock clock = Clock.systemUTC();

    /** A new key (its value shown once) and its row. */
    public record Issued(String key, ApiKey stored) {
    }

    public boolean enabled() {
        return settings.value("bastion.api.keys").map(v -> v.equalsIgnoreCase("on") || v.equalsIgnoreCase("true")).orElse(false);
    }

    /**
     * Issues a key that expires after so many days (1 to 365) or at an instant within that time
     * (expiresAt, when not null; the other is then null). patient/ scopes need a patient or an
     * organization (not both), and then the key carries no system/ scope.
     */
    public Issued issue(String name, String clientId, List<String> scope, String patient, String organization, Long expiresInDays,
                        Instant expiresAt, String createdBy) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidInputException("name", "is required: up to 200 characters that tell admins what the key is for");
        }
        OAuthClient client = clientId == null || clientId.length() > 255 ? null : clients.find(clientId).orElse(null);
        if (client == null) {
            throw new InvalidInputException("client_id", "must name a registered client; the key acts as that client");
        }
        if (!client.enabled()) {
            throw new InvalidInputException("client_id", "names a client an admin has disabled");
        }
        if (scope.isEmpty()) {
            throw new InvalidInputException("scope", "is required: the system/ scopes (or, with a patient or an organization, patient/ scopes) the key grants");
        }
        if (patient != null && !PATIENT_ID.matcher(patient).matches()) {
            throw new InvalidInputException("patient", "must be a Patient id ([A-Za-z0-9-.]{1,64})");
        }
        if (organization != null && !PATIENT_ID.matcher(organization).matches()) {
            throw new InvalidInputException("organization", "must be an Organization id ([A-Za-z0-9-.]{1,64})");
        }
        if (patient != null && organization != null) {
            throw new InvalidInputException("organization", "and patient both restrict the key: give one (a patient, or an organization for the patients it manages)");
        }
        String restrictedTo = patient != null ? "patient" : organization != null ? "organization" : null;
        for (String s : scope) {
            Optional<SmartScope> smart = SmartScope.parse(s);
            if (smart.isEmpty() || smart.get().context() == SmartScope.Context.USER) {
                throw new InvalidInputException("scope", "'" + s + "' is not a system/ or patient/ SMART scope; a key has no user, so it carries no user/,"
                        + " openid, launch or admin scope");
            }
            if (restrictedTo == null && smart.get().context() == SmartScope.Context.PATIENT) {
                throw new InvalidInputException("scope", "'" + s + "' is a patient/ scope, which grants nothing without a patient: give patient"
                        + " (or organization)");
            }
            if (restrictedTo != null && smart.get().context() == SmartScope.Context.SYSTEM) {
                throw new InvalidInputException("scope", "'" + s + "' is a system/ scope, which would reach beyond the key's " + restrictedTo + ":"
                        + " a key restricted to a " + restrictedTo + " carries patient/ scopes only");
            }
            if (!ScopeCatalog.allowed(s, client)) {
                throw new InvalidInputException("scope", "'" + s + "' is not a scope client '" + clientId + "' may have; a key grants no more than its client");
            }
        }
        Instant now = clock.instant();
        if (expiresAt != null && expiresInDays != null) {
            throw new InvalidInputException("expires_at", "and expires_in_days say the same thing: give one");
        }
        if (expiresAt != null && (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(MAX_LIFETIME)))) {
            throw new InvalidInputException("expires_at", "must be in the future, within " + MAX_LIFETIME.toDays() + " days");
        }
        long days = expiresInDays == null ? DEFAULT_LIFETIME.toDays() : expiresInDays;
        if (expiresAt == null && (days < 1 || days > MAX_LIFETIME.toDays())) {
            throw new InvalidInputException("expires_in_days", "must be between 1 and " + MAX_LIFETIME.toDays());
        }
        String id = random(16);
        String secret = Secrets.random();
        ApiKey stored = new ApiKey(id, Secrets.hash(secret), name.strip(), clientId, List.copyOf(scope), patient, organization, createdBy, now,
                expiresAt != null ? expiresAt : now.plus(Duration.ofDays(days)));
        em.persist(stored);
        return new Issued(PREFIX + id + "_" + secret, stored);
    }

    private static String random(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return id.toString();
    }

    /** Keys of a client (every client's when null), newest first. */
    public List<ApiKey> list(String clientId) {
        return em.createQuery("select k from ApiKey k where :client is null or k.clientId = :client order by k.createdAt desc, k.id", ApiKey.class)
                .setParameter("client", clientId).setMaxResults(1000).getResultList();
    }

    public Optional<ApiKey> find(String id) {
        return id == null || id.length() > 32 ? Optional.empty() : Optional.ofNullable(em.find(ApiKey.class, id));
    }

    /** Revokes a key at once on every node (each request reads its key): false when there is none. */
    public boolean revoke(String id, String by) {
        Optional<ApiKey> key = find(id);
        key.ifPresent(k -> k.revoke(clock.instant(), by));
        return key.isPresent();
    }

    /**
     * The key a request presents, if it is well-formed, known, not revoked and not expired, and API
     * keys are on; otherwise the reason, for the developer. Its client's standing and scopes are the
     * resource server's to check, as for a token.
     */
    public ApiKey verify(String presented) throws InvalidTokenException {
        if (!enabled()) {
            throw new InvalidTokenException("API keys are turned off on this server: use an access token (client_credentials), or have an"
                    + " admin set BASTION_API_KEYS=on");
        }
        java.util.regex.Matcher parts = presented == null ? null : KEY.matcher(presented.strip());
        if (parts == null || !parts.matches()) {
            throw new InvalidTokenException("The x-api-key header does not hold an API key of this server (" + PREFIX + "…, as an admin issued it)");
        }
        ApiKey key = em.find(ApiKey.class, parts.group(1));
        if (key == null || !Secrets.matches(parts.group(2), key.secretHash())) {
            throw new InvalidTokenException("API key " + PREFIX + parts.group(1) + "… is not known to this server (or its secret part is wrong)");
        }
        Instant now = clock.instant();
        if (key.revokedAt() != null) {
            throw new InvalidTokenException("API key " + PREFIX + key.id() + "… was revoked at " + key.revokedAt() + "; ask an admin for a new one");
        }
        if (!now.isBefore(key.expiresAt())) {
            throw new InvalidTokenException("API key " + PREFIX + key.id() + "… expired at " + key.expiresAt() + "; ask an admin for a new one");
        }
        if (key.lastUsedAt() == null || key.lastUsedAt().plus(LAST_USE_PRECISION).isBefore(now)) {
            key.used(now);
        }
        return key;
    }

    /**
     * A key as the resource server's gate sees a token: issued here to the key's client, for the
     * client itself (sub = client_id), with the key's scopes and patient, and jti api-key:ID, which
     * the audit trail records. The gate then checks the client's standing and scopes as for a token.
     */
    public VerifiedAccessToken asToken(ApiKey key) {
        com.nimbusds.jwt.JWTClaimsSet.Builder claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .issuer(settings.issuer()).subject(key.clientId()).claim("client_id", key.clientId())
                .claim("scope", String.join(" ", key.scope())).jwtID(TOKEN_ID_PREFIX + key.id())
                .issueTime(java.util.Date.from(key.createdAt())).expirationTime(java.util.Date.from(key.expiresAt()));
        if (key.patient() != null) {
            claims.claim("patient", key.patient());
        }
        return new VerifiedAccessToken(null, claims.build(), true, "fhirUser", "patient");
    }
}
