package org.bastion.audit.application;

import org.bastion.audit.domain.AuditRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditTrailTest {

    /** A table that can be made to fail, and remembers what was written to it. */
    static final class Table extends AuditLog {
        final List<Object> written = new ArrayList<>();
        boolean down;

        @Override
        public void recordAll(List<?> records) {
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
        CompletableFuture<Void> first = trail.add(record(1));
        table.down = true;
        assertFalse(trail.writeQuietly());
        assertTrue(trail.unavailable().orElse("").contains("database is down"), "requests are refused while records cannot be written");
        assertFalse(first.isDone(), "a request waits while its record is not written");
        CompletableFuture<Void> second = trail.add(record(2));
        table.down = false;
        assertTrue(trail.writeQuietly());
        assertTrue(trail.unavailable().isEmpty());
        assertTrue(first.isDone() && !first.isCompletedExceptionally() && second.isDone(), "both waiting requests are released once written");
        assertEquals(List.of("/Patient/1", "/Patient/2"), table.written.stream().map(r -> ((AuditRecord) r).path()).toList(), "nothing lost, nothing twice");
    }

    @Test
    void aFullQueueRefusesTheRecordAndMakesTheTrailUnavailableWithoutGrowing() {
        Table table = new Table();
        AuditTrail trail = new AuditTrail();
        trail.log = table;
        for (int i = 0; i < AuditTrail.CAPACITY; i++) {
            assertFalse(trail.add(record(i)).isCompletedExceptionally());
        }
        CompletableFuture<Void> overflow = trail.add(record(AuditTrail.CAPACITY));
        assertTrue(overflow.isCompletedExceptionally(), "the record beyond the capacity is refused, not kept in memory");
        assertTrue(trail.unavailable().orElse("").contains("queue is full"));
        assertTrue(trail.writeQuietly());
        assertTrue(trail.unavailable().isEmpty());
        assertEquals(AuditTrail.CAPACITY, table.written.size());
    }
}
