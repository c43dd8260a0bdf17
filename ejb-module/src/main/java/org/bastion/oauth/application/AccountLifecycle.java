package org.bastion.oauth.application;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.application.UserChanged;

import java.time.Instant;

/**
 * When an admin disables or deletes a user, resets their password or takes a role away,
 * everything the user holds ends in the same transaction: refresh tokens, access tokens (the
 * resource server checks revocation on every request), sign-in sessions and flows under way.
 */
@ApplicationScoped
public class AccountLifecycle {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    Revocations revocations;

    void end(@Observes UserChanged change) {
        if (!change.ended()) {
            return;
        }
        Instant now = Instant.now();
        em.createQuery("update RefreshToken r set r.revokedAt = :now where r.context.userId = :user and r.revokedAt is null")
                .setParameter("now", now).setParameter("user", change.userId()).executeUpdate();
        revocations.revokeUser(change.userId());
        em.createQuery("delete from LoginSession s where s.userId = :user").setParameter("user", change.userId()).executeUpdate();
        em.createQuery("delete from PendingAuthorization p where p.userId = :user").setParameter("user", change.userId()).executeUpdate();
        if (change.deleted()) {
            em.createQuery("delete from ConsentGrant c where c.userId = :user").setParameter("user", change.userId()).executeUpdate();
        }
    }
}
