package org.bastion.admin.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.platform.JdbcTimes;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's one housekeeping lease (the row 'housekeeping' of housekeeping_lease): a node
 * runs housekeeping only while it holds it. Taking and renewing are the same conditional update,
 * "where the lease has expired or the caller holds it already", committed at once: of several
 * nodes asking at the same moment the database lets exactly one through (a second update waits
 * for the first's row lock, then finds the condition false, on H2 as on PostgreSQL).
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class HousekeepingLease {

    static final String NAME = "housekeeping";

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /** Who holds the lease: a node and the run it is doing there, until when at most. */
    public record Holder(String node, String run, Instant until) {

        /** The holder as the lease row names it: node, then run id. */
        static String name(String node, String run) {
            return node + " " + run;
        }

        static Holder parse(String name, Instant until) {
            int space = name.lastIndexOf(' ');
            return space < 0 ? new Holder(name, "", until) : new Holder(name.substring(0, space), name.substring(space + 1), until);
        }
    }

    /** Takes the lease for a term, or renews it when the caller holds it: whether the caller holds it now. */
    public boolean take(String holder, Instant now, Duration term) {
        return em.createNativeQuery("update housekeeping_lease set holder = ?, expires_at = ? where name = ? and (expires_at < ? or holder = ?)")
                .setParameter(1, holder).setParameter(2, Timestamp.from(now.plus(term))).setParameter(3, NAME)
                .setParameter(4, Timestamp.from(now)).setParameter(5, holder)
                .executeUpdate() == 1;
    }

    /** Lets the lease go at once, so the next run, on any node, need not wait for it to expire. */
    public void release(String holder, Instant now) {
        em.createNativeQuery("update housekeeping_lease set expires_at = ? where name = ? and holder = ?")
                .setParameter(1, Timestamp.from(now)).setParameter(2, NAME).setParameter(3, holder)
                .executeUpdate();
    }

    /** The holder while the lease is held. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<Holder> current(Instant now) {
        List<?> rows = em.createNativeQuery("select holder, expires_at from housekeeping_lease where name = ? and expires_at >= ?")
                .setParameter(1, NAME).setParameter(2, Timestamp.from(now)).getResultList();
        return rows.stream().map(row -> (Object[]) row).filter(columns -> columns[0] != null)
                .map(columns -> Holder.parse((String) columns[0], JdbcTimes.instant(columns[1]))).findFirst();
    }
}
