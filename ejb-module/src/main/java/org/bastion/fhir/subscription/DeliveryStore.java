package org.bastion.fhir.subscription;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

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

    /**
     * Claims for a node until a time those of the notifications that no other node holds, in one
     * statement, and answers them (those another node holds, or that are gone, are left out).
     */
    @SuppressWarnings("unchecked")
    public List<Delivery> claim(List<String> ids, String node, Instant now, Instant until) {
        if (ids.isEmpty()) {
            return List.of();
        }
        em.createNativeQuery("update subscription_delivery set claimed_by = :node, claimed_until = :until where id in (:ids)"
                        + " and (claimed_until is null or claimed_until < :now)")
                .setParameter("node", node).setParameter("until", Timestamp.from(until)).setParameter("ids", ids)
                .setParameter("now", Timestamp.from(now)).executeUpdate();
        List<Object[]> rows = em.createNativeQuery("select id, subscription_id, resource_type, resource_id, version_id, attempts"
                        + " from subscription_delivery where id in (:ids) and claimed_by = :node order by next_attempt, created_at")
                .setParameter("ids", ids).setParameter("node", node).getResultList();
        return rows.stream().map(r -> new Delivery((String) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).longValue(),
                ((Number) r[5]).intValue())).toList();
    }

    /** A node's claims of these notifications, free again (those it will not get to before its claim runs out). */
    public void release(List<String> ids, String node) {
        if (!ids.isEmpty()) {
            em.createNativeQuery("update subscription_delivery set claimed_by = null, claimed_until = null where id in (:ids) and claimed_by = :node")
                    .setParameter("ids", ids).setParameter("node", node).executeUpdate();
        }
    }

    /** This node's claims, free again (at its start: the process that held them is gone). */
    public int release(String node) {
        return em.createNativeQuery("update subscription_delivery set claimed_by = null, claimed_until = null where claimed_by = ?")
                .setParameter(1, node).executeUpdate();
    }

    /** Sent, superseded or pointless: gone. */
    public void delete(List<String> ids) {
        if (!ids.isEmpty()) {
            em.createNativeQuery("delete from subscription_delivery where id in (:ids)").setParameter("ids", ids).executeUpdate();
        }
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
