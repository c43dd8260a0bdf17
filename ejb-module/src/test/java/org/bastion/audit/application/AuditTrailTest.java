package org.bastion.audit.application;

import org.bastion.audit.domain.AuditRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditTrailTest {

    /** A table that can be made to fail, and remembers what was written to it. */
    static final class Table extends AuditLog {
        final List<AuditRecord> written = new ArrayList<>();
        boolean down;

        @Override
        public void recordAll(List<AuditRecord> records) {
            if (down) {
                throw new IllegalStateException("database is down");
            }
            written.addAll(records);
        }
    }

    private static AuditRecord record(int n) {
        return new AuditRecord(Instant.now(), AuditRecord.Category.REST, "read", "GET", "/Patient/" + n, null).outcome(200, null);
    }

    @Test
    void aFailedWriteMakesTheTrailUnavailableUntilEverythingIsWritten() {
        Table table = new Table();
        AuditTrail trail = new AuditTrail();
        trail.log = table;
        trail.add(record(1));
        table.down = true;
        trail.writeQuietly();
        assertTrue(trail.unavailable().orElse("").contains("database is down"), "requests are refused while records cannot be written");
        trail.add(record(2));
        table.down = false;
        trail.writeQuietly();
        assertTrue(trail.unavailable().isEmpty());
        assertEquals(List.of("/Patient/1", "/Patient/2"), table.written.stream().map(AuditRecord::path).toList(), "nothing lost, nothing twice");
    }

    @Test
    void aFullQueueMakesTheTrailUnavailableAndKeepsTheRecord() {
        Table table = new Table();
        AuditTrail trail = new AuditTrail();
        trail.log = table;
        for (int i = 0; i <= AuditTrail.CAPACITY; i++) {
            trail.add(record(i));
        }
        assertTrue(trail.unavailable().orElse("").contains("queue is full"));
        trail.writeQuietly();
        assertTrue(trail.unavailable().isEmpty());
        assertEquals(AuditTrail.CAPACITY + 1, table.written.size());
    }
}
