package org.bastion.oauth.application;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import org.bastion.oauth.domain.ConsentGrant;
import org.bastion.oauth.domain.IssuedAccessToken;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What users and clients hold, for admins (consents and live access tokens, and taking them back)
 * and for users themselves (the apps they allowed, on the account page).
 */
@Stateless
public class Grants {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    TokenIssuer issuer;

    @EJB
    Revocations revocations;

    @EJB
    ClientRegistry clients;

    /** An app a user allowed: the consent, the client's name, when it last got a token for the user, and the patient of its latest grant. */
    public record GrantedApp(ConsentGrant consent, String clientName, Instant lastUsed, String patient) {
    }

    /** The apps a user allowed (their consents), newest first, each with its last use and patient. */
    public List<GrantedApp> apps(String userId) {
        java.util.Map<String, Instant> lastUse = new java.util.HashMap<>();
        em.createQuery("select t.clientId, max(t.issuedAt) from IssuedAccessToken t where t.subject = :user group by t.clientId", Object[].class)
                .setParameter("user", userId).getResultList().forEach(row -> lastUse.put((String) row[0], (Instant) row[1]));
        return consents(userId, null).stream().map(consent -> {
            // the latest grant's patient: null when it had none (no launch/patient), as when there is no refresh token
            List<String> latest = em.createQuery("select r.context.patient from RefreshToken r where r.context.userId = :user and r.clientId = :client"
                            + " order by r.issuedAt desc", String.class).setParameter("user", userId).setParameter("client", consent.clientId())
                    .setMaxResults(1).getResultList();
            String patient = latest.isEmpty() ? null : latest.get(0);
            String name = clients.find(consent.clientId()).map(org.bastion.oauth.domain.OAuthClient::name).orElse(consent.clientId());
            return new GrantedApp(consent, name, lastUse.get(consent.clientId()), patient);
        }).toList();
    }

    /** Consents, of a user and/or a client (null for any). */
    public List<ConsentGrant> consents(String userId, String clientId) {
        TypedQuery<ConsentGrant> query = em.createQuery("select c from ConsentGrant c where (:user is null or c.userId = :user) "
                + "and (:client is null or c.clientId = :client) order by c.grantedAt desc", ConsentGrant.class);
        return query.setParameter("user", userId).setParameter("client", clientId).setMaxResults(500).getResultList();
    }

    /** Withdraws a user's consent to a client and revokes every token that client holds for the user. */
    public boolean revokeConsent(String userId, String clientId) {
        ConsentGrant consent = em.find(ConsentGrant.class, new ConsentGrant.Key(userId, clientId));
        if (consent == null) {
            return false;
        }
        em.remove(consent);
        em.createQuery("update RefreshToken r set r.revokedAt = :now where r.context.userId = :user and r.clientId = :client and r.revokedAt is null")
                .setParameter("now", Instant.now()).setParameter("user", userId).setParameter("client", clientId).executeUpdate();
        revocations.revokeUserClient(userId, clientId);
        return true;
    }

    /** Access tokens not expired nor revoked, of a user (sub) and/or a client, newest first. */
    public List<IssuedAccessToken> activeTokens(String subject, String clientId, int offset, int count) {
        return em.createQuery("select t from IssuedAccessToken t where t.expiresAt > :now "
                        + "and (:subject is null or t.subject = :subject) and (:client is null or t.clientId = :client) and not "
                        + Revocations.revokedCondition() + " order by t.issuedAt desc",
                IssuedAccessToken.class).setParameter("now", Instant.now()).setParameter("subject", subject).setParameter("client", clientId)
                .setFirstResult(offset).setMaxResults(count).getResultList();
    }

    /** Revokes an access token and, when it came from a grant, the grant's refresh tokens and other access tokens. */
    public Optional<IssuedAccessToken> revokeToken(String jti) {
        IssuedAccessToken token = jti == null || jti.length() > 64 ? null : em.find(IssuedAccessToken.class, jti);
        if (token == null) {
            return Optional.empty();
        }
        revocations.revokeToken(token.jti(), token.expiresAt());
        if (token.grantId() != null) {
            issuer.revokeGrant(token.grantId());
        }
        return Optional.of(token);
    }
}
