package org.bastion.identity.application;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.platform.JdbcTimes;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Slows password guessing down, per account name and per source address, without a lock an
 * attacker could set on someone else's account. Each failed sign-in counts against both keys
 * (an unknown account name counts exactly like a known one); past a threshold within the window,
 * the key must wait before its next attempt, longer after each further failure, up to a cap:
 * <ul>
 *     <li>account {@code user:<name>}: from the 5th failure, 15 s, doubling to at most 2 minutes;</li>
 *     <li>address {@code ip:<address>}: from the 50th failure, 15 s, doubling to at most 15 minutes.</li>
 * </ul>
 * Failures older than 15 minutes are forgotten. Counting is one {@code update … set failures =
 * failures + 1} in a transaction of its own, so concurrent attempts cannot lose a count.
 */
@Stateless
public class SignInThrottle {

    static final int ACCOUNT_THRESHOLD = 5;
    static final Duration ACCOUNT_CAP = Duration.ofMinutes(2);
    static final int ADDRESS_THRESHOLD = 50;
    static final Duration ADDRESS_CAP = Duration.ofMinutes(15);
    static final Duration FIRST_WAIT = Duration.ofSeconds(15);
    static final Duration WINDOW = Duration.ofMinutes(15);

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /** One throttled key as an admin sees it. */
    public record Entry(String key, int failures, Instant lastFailure, Instant blockedUntil) {
    }

    public static String accountKey(String username) {
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        return "user:" + (name.length() > 255 ? name.substring(0, 255) : name);
    }

    public static String addressKey(String address) {
        return "ip:" + (address == null ? "unknown" : address.length() > 64 ? address.substring(0, 64) : address);
    }

    /** How long these keys must still wait before an attempt is judged (zero: go ahead). */
    public Duration waiting(List<String> keys, Instant now) {
        String marks = String.join(", ", keys.stream().map(k -> "?").toList());
        jakarta.persistence.Query query = em.createNativeQuery("select max(blocked_until) from sign_in_throttle where throttle_key in (" + marks + ")");
        for (int i = 0; i < keys.size(); i++) {
            query.setParameter(i + 1, keys.get(i));
        }
        Instant until = JdbcTimes.instant(query.getSingleResult());
        return until != null && until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
    }

    /** Counts a failed attempt against a key, atomically, and sets its wait. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void failed(String key, Instant now) {
        Timestamp at = Timestamp.from(now);
        int updated = em.createNativeQuery("update sign_in_throttle set failures = case when last_failure < ? then 1 else failures + 1 end,"
                        + " last_failure = ? where throttle_key = ?")
                .setParameter(1, Timestamp.from(now.minus(WINDOW))).setParameter(2, at).setParameter(3, key).executeUpdate();
        if (updated == 0) {
            // a unique key: of two concurrent first failures one insert fails, and the caller counts again
            em.createNativeQuery("insert into sign_in_throttle (throttle_key, failures, last_failure) values (?, 1, ?)")
                    .setParameter(1, key).setParameter(2, at).executeUpdate();
            return;
        }
        int failures = ((Number) em.createNativeQuery("select failures from sign_in_throttle where throttle_key = ?")
                .setParameter(1, key).getSingleResult()).intValue();
        Duration wait = wait(key, failures);
        if (!wait.isZero()) {
            em.createNativeQuery("update sign_in_throttle set blocked_until = ? where throttle_key = ?")
                    .setParameter(1, Timestamp.from(now.plus(wait))).setParameter(2, key).executeUpdate();
        }
    }

    /** The wait after this many failures in the window. */
    static Duration wait(String key, int failures) {
        boolean account = key.startsWith("user:");
        int over = failures - (account ? ACCOUNT_THRESHOLD : ADDRESS_THRESHOLD);
        if (over < 0) {
            return Duration.ZERO;
        }
        Duration cap = account ? ACCOUNT_CAP : ADDRESS_CAP;
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(over, 20));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** A successful sign-in forgets the account's failures (never the address's: one good account must not reset an attacker's count). */
    public void succeeded(String key) {
        lift(key);
    }

    /** An admin lifts a throttle (or a password reset does); true when there was one. */
    public boolean lift(String key) {
        return em.createNativeQuery("delete from sign_in_throttle where throttle_key = ?").setParameter(1, key).executeUpdate() > 0;
    }

    /** The keys with failures in the window, most recent first. */
    public List<Entry> current(Instant now, int max) {
        List<?> rows = em.createNativeQuery("select throttle_key, failures, last_failure, blocked_until from sign_in_throttle"
                        + " where last_failure >= ? order by last_failure desc")
                .setParameter(1, Timestamp.from(now.minus(WINDOW))).setMaxResults(max).getResultList();
        List<Entry> entries = new ArrayList<>();
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            entries.add(new Entry((String) columns[0], ((Number) columns[1]).intValue(), JdbcTimes.instant(columns[2]), JdbcTimes.instant(columns[3])));
        }
        return entries;
    }

    /** Forgets keys whose last failure left the window (housekeeping). */
    public int forgetOld(Instant now) {
        return em.createNativeQuery("delete from sign_in_throttle where last_failure < ? and (blocked_until is null or blocked_until < ?)")
                .setParameter(1, Timestamp.from(now.minus(WINDOW))).setParameter(2, Timestamp.from(now)).executeUpdate();
    }
}
