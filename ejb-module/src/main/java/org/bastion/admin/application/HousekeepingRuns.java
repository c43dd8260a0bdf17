package org.bastion.admin.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.admin.domain.HousekeepingRun;

import java.util.Optional;

/** The record of housekeeping runs. */
@Stateless
public class HousekeepingRuns {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void record(HousekeepingRun run) {
        em.persist(run);
    }

    /** The run that started last, on any node. */
    public Optional<HousekeepingRun> last() {
        return em.createQuery("select r from HousekeepingRun r order by r.startedAt desc", HousekeepingRun.class)
                .setMaxResults(1).getResultStream().findFirst();
    }
}
