package org.bastion.fhir.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.platform.BastionDataSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Conditional creates (If-None-Exist) of one condition, one at a time, across threads and nodes:
 * the database's row lock on the condition's row in conditional_create (V13) orders them, so the
 * second searches after the first committed and finds its resource. Without it, two nodes could
 * each search, find nothing and create.
 */
@Stateless
public class ConditionLocks {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /**
     * Makes sure the condition's row exists, in a transaction of its own, so that the caller's
     * transaction can lock it. Two first uses at once: one insert wins, the other's failure is
     * the row being there already.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void ensure(String key) {
        try (Connection connection = BastionDataSource.lookup().getConnection()) {
            try (PreparedStatement exists = connection.prepareStatement("select 1 from conditional_create where condition_key = ?")) {
                exists.setString(1, key);
                if (exists.executeQuery().next()) {
                    return;
                }
            }
            boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            try (PreparedStatement insert = connection.prepareStatement("insert into conditional_create (condition_key, created_at) values (?, ?)"
                    + (postgres ? " on conflict do nothing" : ""))) {
                insert.setString(1, key);
                insert.setTimestamp(2, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            } catch (SQLException concurrentFirstUse) {
                // H2: another transaction inserted the same key first; the row is there, which is all this wants
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the conditional create lock: " + e.getMessage(), e);
        }
    }

    /**
     * Locks the condition's row until the caller's transaction ends: false when there is no row
     * yet (the first use of the condition: ensure it, then lock).
     */
    public boolean lock(String key) {
        return !em.createNativeQuery("select condition_key from conditional_create where condition_key = ?1 for update")
                .setParameter(1, key).getResultList().isEmpty();
    }

    /** The key of a condition: the type and the parameters, in a normal order, hashed. */
    static String key(String type, Map<String, List<String>> params) {
        StringBuilder canonical = new StringBuilder(type).append('?');
        new TreeMap<>(params).forEach((name, values) -> values.stream().sorted()
                .forEach(v -> canonical.append(name.length()).append(':').append(name).append('=').append(v.length()).append(':').append(v).append('&')));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
