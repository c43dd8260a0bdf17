package org.bastion.oauth.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.Secrets;
import org.bastion.oauth.domain.TokenRevocation;
import org.bastion.platform.BastionSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Revocation of Bastion's access tokens. A token is valid by its signature and lifetime; what
 * takes it back is a revocation row naming its jti, its grant, its user, or its user and client,
 * made at or after the token was issued. Issuing a token therefore writes nothing that
 * revocation needs, and the resource server asks the database on every request (no cache: a
 * revocation is in force on every node at once).
 */
@Stateless
public class Revocations {

    /** Longest lifetime an access token can have (a client's own lifetime is at most a day), plus the verifier's clock skew. */
    private static final Duration LONGEST_CLIENT_LIFETIME = Duration.ofDays(1);
    private static final int MAX_KEY = 300;

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    BastionSettings settings;

    /**
     * A jti of Bastion says what revocation needs: {@code [<grant>.]<issued ms, base 36>.<random>}
     * (the grant only for tokens of an authorization code or refresh token grant). The exact issue
     * time matters: a revocation takes back the tokens issued up to it, and iat has whole seconds
     * only. 96 random bits and the millisecond make it unique; it fits the 64 characters of the record.
     */
    static String jtiOf(String grantId, Instant issuedAt) {
        String own = Long.toString(issuedAt.toEpochMilli(), 36) + "." + Secrets.random(12);
        return grantId == null ? own : grantId + "." + own;
    }

    /** What a jti says: its grant (or null) and its issue time (or the token's iat rounded down, for a jti made before it carried one). */
    record Jti(String grant, Instant issuedAt) {
        static Jti parse(String jti, Instant iat) {
            String[] parts = jti.split("\\.");
            Instant issued = iat == null ? Instant.EPOCH : Instant.ofEpochSecond(iat.getEpochSecond());
            if (parts.length >= 2) {
                try {
                    issued = Instant.ofEpochMilli(Long.parseLong(parts[parts.length - 2], 36));
                } catch (NumberFormatException | java.time.DateTimeException e) {
                    // not a jti of this shape: iat it is
                }
            }
            return new Jti(parts.length == 3 ? parts[0] : null, issued);
        }
    }

    static String grantOf(String jti) {
        return Jti.parse(jti, null).grant();
    }

    static Instant issuedAt(String jti, Instant iat) {
        return Jti.parse(jti, iat).issuedAt();
    }

    /** Whether a revocation made at or after the token was issued names it, its grant, its user, or its user and client. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public boolean revoked(String jti, String subject, String clientId, Instant issuedAt) {
        Jti parsed = Jti.parse(jti, issuedAt);
        List<String> ids = new ArrayList<>(4);
        ids.add(tokenKey(jti));
        if (parsed.grant() != null) {
            ids.add(grantKey(parsed.grant()));
        }
        if (subject != null) {
            ids.add(userKey(subject));
            if (clientId != null) {
                ids.add(userClientKey(subject, clientId));
            }
        }
        if (ids.stream().anyMatch(id -> id.length() > MAX_KEY)) {
            return true;
        }
        Instant cutoff = parsed.issuedAt();
        return !em.createQuery("select r.id from TokenRevocation r where r.id in :ids and r.revokedAt >= :issued", String.class)
                .setParameter("ids", ids).setParameter("issued", cutoff).setMaxResults(1).getResultList().isEmpty();
    }

    /** One access token, until it expires. */
    public void revokeToken(String jti, Instant expiresAt) {
        revoke(tokenKey(jti), expiresAt);
    }

    /** Every access token of a grant (its refresh tokens are revoked by their own rows). */
    public void revokeGrant(String grantId) {
        revoke(grantKey(grantId), null);
    }

    /** Every access token of a user: disabled or deleted. */
    public void revokeUser(String userId) {
        revoke(userKey(userId), null);
    }

    /** Every access token one client holds for a user: the user's consent was withdrawn. */
    public void revokeUserClient(String userId, String clientId) {
        revoke(userClientKey(userId, clientId), null);
    }

    /** The JPQL condition "this token record is revoked", for listing live tokens ({@code t} an IssuedAccessToken). */
    static String revokedCondition() {
        return "exists (select r.id from TokenRevocation r where r.revokedAt >= t.issuedAt and r.id in (concat('T:', t.jti), "
                + "concat('G:', coalesce(t.grantId, '-')), concat('U:', t.subject), concat('C:', t.subject, ' ', t.clientId)))";
    }

    private void revoke(String id, Instant expiresAt) {
        if (id.length() > MAX_KEY) {
            return;
        }
        Instant now = Instant.now();
        Instant expiry = (expiresAt != null ? expiresAt : now.plus(longestLifetime())).plus(AccessTokenVerifier.CLOCK_SKEW);
        TokenRevocation existing = em.find(TokenRevocation.class, id);
        if (existing == null) {
            em.persist(new TokenRevocation(id, now, expiry));
        } else {
            existing.renew(now, expiry);
        }
    }

    private Duration longestLifetime() {
        Duration server = settings.accessTokenLifetime();
        return server.compareTo(LONGEST_CLIENT_LIFETIME) > 0 ? server : LONGEST_CLIENT_LIFETIME;
    }

    private static String tokenKey(String jti) {
        return "T:" + jti;
    }

    private static String grantKey(String grantId) {
        return "G:" + grantId;
    }

    private static String userKey(String userId) {
        return "U:" + userId;
    }

    private static String userClientKey(String userId, String clientId) {
        return "C:" + userId + " " + clientId;
    }
}
