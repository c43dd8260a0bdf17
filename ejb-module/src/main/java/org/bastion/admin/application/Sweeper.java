package org.bastion.admin.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The database work of housekeeping: one batch of a sweep at a time, and the sizes of the tables. */
@Stateless
public class Sweeper {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /** One batch, committed on its own, so no run holds locks on many rows or for long: the rows deleted. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int sweep(Sweep sweep, Instant now) {
        return em.createNativeQuery(sweep.deleteBatch())
                .setParameter(1, Timestamp.from(now.minus(sweep.grace())))
                .executeUpdate();
    }

    /** The row count of each table, in the order given (names from code, never from a request). */
    public Map<String, Long> sizes(List<String> tables) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String table : tables) {
            sizes.put(table, ((Number) em.createNativeQuery("select count(*) from " + table).getSingleResult()).longValue());
        }
        return sizes;
    }
}
