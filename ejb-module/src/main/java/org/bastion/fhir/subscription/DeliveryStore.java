package org.bastion.fhir.subscription;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The notifications still to send (subscription_delivery), each change in a transaction of its own. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class DeliveryStore {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /** One notification to send: the subscription, the resource version that caused it, the attempts so far. */
    public record Delivery(String id, String subscriptionId, String type, String resourceId, long version, int attempts) {
    }

    /** Notifications due now and claimed by no node (or by one whose claim ran out), oldest due first. */
    @SuppressWarnings("unchecked")
    public List<String> due(Instant now, int count) {
        return em.createNativeQuery("select id from subscription_delivery where next_attempt <= ? and (claimed_until is null or claimed_until < ?)"
                        + " order by next_attempt, created_at fetch first ? rows only")
                .setParameter(1, Timestamp.from(now)).setParameter(2, Timestamp.from(now)).setParameter(3, count).getResultList();
    }

    /** Claims a notification for a node until a time: false when another node holds it (or it is gone). */
    public boolean claim(String id, String node, Instant now, Instant until) {
        return em.createNativeQuery("update subscription_delivery set claimed_by = ?, claimed_until = ? where id = ?"
                        + " and (claimed_until is null or claimed_until < ?)")
                .setParameter(1, node).setParameter(2, Timestamp.from(until)).setParameter(3, id).setParameter(4, Timestamp.from(now))
                .executeUpdate() == 1;
    }

    public Optional<Delivery> find(String id) {
        List<?> rows = em.createNativeQuery("select subscription_id, resource_type, resource_id, version_id, attempts from subscription_delivery where id = ?")
                .setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(row -> {
            Object[] r = (Object[]) row;
            return new Delivery(id, (String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).longValue(), ((Number) r[4]).intValue());
        });
    }

    /** This node's claims, free again (at its start: the process that held them is gone). */
    public int release(String node) {
        return em.createNativeQuery("update subscription_delivery set claimed_by = null, claimed_until = null where claimed_by = ?")
                .setParameter(1, node).executeUpdate();
    }

    /** Sent, superseded or pointless: gone. */
    public void delete(String id) {
        em.createNativeQuery("delete from subscription_delivery where id = ?").setParameter(1, id).executeUpdate();
    }

    /** Every notification of a subscription that stopped (error, off or gone). */
    public int deleteAllOf(String subscriptionId) {
        return em.createNativeQuery("delete from subscription_delivery where subscription_id = ?").setParameter(1, subscriptionId).executeUpdate();
    }

    /** A failed attempt: tried again at next, by any node. */
    public void retry(String id, int attempts, Instant next, String error) {
        em.createNativeQuery("update subscription_delivery set attempts = ?, next_attempt = ?, claimed_by = null, claimed_until = null, last_error = ?"
                        + " where id = ?")
                .setParameter(1, attempts).setParameter(2, Timestamp.from(next)).setParameter(3, error.length() > 1000 ? error.substring(0, 1000) : error)
                .setParameter(4, id).executeUpdate();
    }

    /** How many notifications wait (for /metrics and the docs' checks). */
    public long waiting() {
        return ((Number) em.createNativeQuery("select count(*) from subscription_delivery").getSingleResult()).longValue();
    }
}
