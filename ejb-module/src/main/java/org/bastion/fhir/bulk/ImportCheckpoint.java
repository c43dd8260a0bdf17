package org.bastion.fhir.bulk;

import jakarta.batch.api.chunk.AbstractCheckpointAlgorithm;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Named;

/**
 * Where an import's chunk ends: after {@value #MAX_LINES} lines or {@value #MAX_BYTES} bytes of
 * them, whichever comes first, so that a chunk of large lines (a Synthea Provenance names every
 * resource of its bundle: 100 KB and 1 500 references a line) commits as soon as 1 000 small ones
 * would, instead of holding a transaction for minutes. Each chunk's transaction may last
 * {@value #TIMEOUT_SECONDS} s: a transaction manager that rolls back a chunk still writing, from
 * another thread, closes an H2 database.
 * <p>
 * The reader counts what it hands over; a chunk's reader and this run on the same batch thread.
 */
@Named("bulkImportCheckpoint")
@Dependent
public class ImportCheckpoint extends AbstractCheckpointAlgorithm {

    static final int MAX_LINES = 1000;
    static final long MAX_BYTES = 4L * 1024 * 1024;
    static final int TIMEOUT_SECONDS = 600;
    /** Lines and bytes read into the chunk under way on this thread. */
    private static final ThreadLocal<long[]> CHUNK = ThreadLocal.withInitial(() -> new long[2]);

    /** The reader handed over a line (or a whole file) of so many bytes. */
    static void read(long bytes) {
        long[] chunk = CHUNK.get();
        chunk[0]++;
        chunk[1] += bytes;
    }

    /** A new step starts with an empty chunk (the thread may have served another job). */
    static void reset() {
        long[] chunk = CHUNK.get();
        chunk[0] = 0;
        chunk[1] = 0;
    }

    @Override
    public int checkpointTimeout() {
        return TIMEOUT_SECONDS;
    }

    @Override
    public boolean isReadyToCheckpoint() {
        long[] chunk = CHUNK.get();
        return chunk[0] >= MAX_LINES || chunk[1] >= MAX_BYTES;
    }

    @Override
    public void endCheckpoint() {
        reset();
    }
}
