package org.bastion.platform;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAccessor;

/** Timestamps of native queries as the JDBC drivers hand them over (PostgreSQL: Timestamp; H2: OffsetDateTime). */
public final class JdbcTimes {

    private JdbcTimes() {
    }

    /** The instant of a timestamp column's value; null for SQL null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        return Instant.from((TemporalAccessor) value);
    }
}
