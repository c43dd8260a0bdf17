package org.bastion.audit.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import org.bastion.audit.domain.AuditRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The audit trail's table. Records are committed in transactions of their own, whatever became
 * of the requests': a refused or failed request is recorded as surely as a successful one.
 */
@Stateless
public class AuditLog {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /** One batch, in a transaction of its own: audit records, and the other records the trail carries (their keys are their own). */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void recordAll(List<?> records) {
        // a batch that failed before gave its audit records their keys then: those are merged, not persisted twice
        records.forEach(record -> {
            if (record instanceof AuditRecord audit && audit.pk() != null) {
                em.merge(record);
            } else {
                em.persist(record);
            }
        });
    }

    /** What to look for; null fields match anything. */
    public record Criteria(Instant since, Instant until, String subject, String clientId, String resourceType, String resourceId,
                           Integer outcome, String category, String requestId) {
    }

    /** Newest first, one page. */
    public List<AuditRecord> search(Criteria criteria, int offset, int count) {
        StringBuilder jpql = new StringBuilder("select a from AuditRecord a where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        condition(jpql, params, "a.recorded >= :since", "since", criteria.since());
        condition(jpql, params, "a.recorded < :until", "until", criteria.until());
        condition(jpql, params, "a.subject = :subject", "subject", criteria.subject());
        condition(jpql, params, "a.clientId = :client", "client", criteria.clientId());
        condition(jpql, params, "a.resourceType = :type", "type", criteria.resourceType());
        condition(jpql, params, "a.resourceId = :id", "id", criteria.resourceId());
        condition(jpql, params, "a.outcome = :outcome", "outcome", criteria.outcome());
        condition(jpql, params, "a.category = :category", "category", criteria.category());
        condition(jpql, params, "a.requestId = :request", "request", criteria.requestId());
        TypedQuery<AuditRecord> query = em.createQuery(jpql.append(" order by a.recorded desc, a.pk desc").toString(), AuditRecord.class);
        params.forEach(query::setParameter);
        return query.setFirstResult(offset).setMaxResults(count).getResultList();
    }

    private static void condition(StringBuilder jpql, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            jpql.append(" and ").append(clause);
            params.put(name, value);
        }
    }
}
