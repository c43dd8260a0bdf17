package org.bastion.oauth.application;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.InitialAccessToken;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.InvalidInputException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Initial access tokens for dynamic registration: issued by an admin, spent by registrations. */
@Stateless
public class InitialAccessTokens {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    private final Clock clock = Clock.systemUTC();

    /** The new token (shown once) and when it expires. */
    public record Issued(String token, Instant expiresAt, int uses) {
    }

    public Issued issue(int uses, long expiresInSeconds, String createdBy) {
        return issue(uses, expiresInSeconds, createdBy, java.util.List.of(), java.util.List.of());
    }

    /**
     * @param approvedGrantTypes grant types the clients registered with the token are approved for beyond the policy
     * @param approvedScope      scopes they are approved for beyond the policy
     */
    public Issued issue(int uses, long expiresInSeconds, String createdBy, java.util.List<String> approvedGrantTypes, java.util.List<String> approvedScope) {
        ClientTrust.check(approvedGrantTypes, approvedScope);
        if (uses < 1 || uses > 10_000) {
            throw new InvalidInputException("uses", "must be between 1 and 10000");
        }
        if (expiresInSeconds < 60 || expiresInSeconds > Duration.ofDays(365).toSeconds()) {
            throw new InvalidInputException("expires_in", "must be between 60 seconds and 365 days");
        }
        String token = Secrets.random();
        Instant now = clock.instant();
        Instant expiresAt = now.plusSeconds(expiresInSeconds);
        InitialAccessToken stored = new InitialAccessToken(Secrets.hash(token), createdBy, now, expiresAt, uses);
        stored.policy(approvedGrantTypes, approvedScope);
        em.persist(stored);
        return new Issued(token, expiresAt, uses);
    }

    /** Tokens with uses left that have not expired, newest first. */
    public java.util.List<InitialAccessToken> usable() {
        return em.createQuery("select t from InitialAccessToken t where t.remainingUses > 0 and t.expiresAt > :now order by t.createdAt desc",
                InitialAccessToken.class).setParameter("now", clock.instant()).getResultList();
    }

    public boolean revoke(String id) {
        InitialAccessToken token = id == null || id.length() > 100 ? null : em.find(InitialAccessToken.class, id);
        if (token == null) {
            return false;
        }
        em.remove(token);
        return true;
    }

    /** Spends one use of the token, or refuses it as unknown, expired or used up: the token, with the policy it carries. */
    public InitialAccessToken spend(String token) throws OAuthException {
        InitialAccessToken stored = token == null || token.length() > 100 ? null
                : em.find(InitialAccessToken.class, Secrets.hash(token), LockModeType.PESSIMISTIC_WRITE);
        if (stored == null || !stored.use(clock.instant())) {
            throw OAuthException.invalidToken("The initial access token is unknown, expired or used up; ask an admin for a new one");
        }
        return stored;
    }
}
