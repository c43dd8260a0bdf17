package org.bastion.fhir.bulk;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.platform.BastionSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an import's inputs line by line from the position its job row records (the input, the
 * byte offset after the last line done, its number), streaming: a line at a time in memory. An
 * input in application/fhir+json is one item, the whole file.
 */
@Named("bulkImportReader")
@Dependent
public class ImportReader extends AbstractItemReader {

    @Inject
    @BatchProperty(name = "job")
    String jobId;

    @Inject
    StepContext stepContext;

    @EJB
    BulkJobs jobs;

    @EJB
    BulkImports imports;

    @Inject
    BastionSettings settings;

    private BulkJob job;
    private ImportRequest request;
    private int input;
    private long offset;
    private long line;
    private InputStream stream;
    private final byte[] buffer = new byte[1 << 20];
    private int start;
    private int filled;

    @Override
    public void open(Serializable checkpoint) {
        if (!BulkStepListener.holds(stepContext)) {
            return;
        }
        job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("Bulk job " + jobId + " is gone"));
        request = ImportRequest.parse(job.parameters());
        ImportProgress progress = ImportProgress.parse(job.progress());
        ImportCheckpoint.reset();
        input = progress.input();
        offset = progress.offset();
        line = progress.line();
    }

    @Override
    public Object readItem() throws IOException {
        if (!BulkStepListener.holds(stepContext)) {
            return null;
        }
        int limit = settings.fhirLimits().bodyBytes();
        while (input < request.inputs().size()) {
            ImportRequest.Input current = request.inputs().get(input);
            if (stream == null) {
                Path path = imports.file(job, current);
                FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
                if (!request.ndjson()) {
                    if (offset > 0) {
                        // this input was done before a restart
                        channel.close();
                        next();
                        continue;
                    }
                    long size = channel.size();
                    try (InputStream whole = Channels.newInputStream(channel)) {
                        String text = size > limit ? null : new String(whole.readAllBytes(), StandardCharsets.UTF_8);
                        ImportWrites.Line item = new ImportWrites.Line(input, 1, size, text, current.type(), current.url());
                        ImportCheckpoint.read(size);
                        next();
                        return item;
                    }
                }
                channel.position(offset);
                stream = Channels.newInputStream(channel);
                filled = 0;
                start = 0;
            }
            LineBytes bytes = nextLine(limit);
            long read = bytes.read();
            boolean tooLong = bytes.tooLong();
            if (read == 0) {
                stream.close();
                stream = null;
                next();
                continue;
            }
            offset += read;
            line++;
            String text = bytes.text();
            if (!tooLong && text.isBlank()) {
                continue;
            }
            ImportCheckpoint.read(read);
            return new ImportWrites.Line(input, line, offset, text, current.type(), current.url());
        }
        return null;
    }

    /** A line's text (without its newline; null when longer than the limit), and how many bytes of the file it took. */
    private record LineBytes(String text, long read, boolean tooLong) {
    }

    /**
     * The next line from the buffer, refilled from the input as needed: bytes up to the limit kept,
     * the rest of a longer line skipped. Zero bytes read at the end of the input.
     */
    private LineBytes nextLine(int limit) throws IOException {
        ByteArrayOutputStream spill = null; // a line longer than what the buffer holds
        long read = 0;
        boolean tooLong = false;
        while (true) {
            if (start == filled) {
                start = 0;
                filled = Math.max(0, stream.read(buffer, 0, buffer.length));
                if (filled == 0) {
                    return new LineBytes(tooLong ? null : text(spill), read, tooLong);
                }
            }
            int end = start;
            while (end < filled && buffer[end] != '\n') {
                end++;
            }
            int length = end - start;
            boolean complete = end < filled;
            read += length + (complete ? 1 : 0);
            if (!tooLong) {
                long kept = (spill == null ? 0 : spill.size()) + length;
                if (kept > limit) {
                    tooLong = true;
                    spill = null;
                } else if (complete && spill == null) {
                    String text = new String(buffer, start, length, StandardCharsets.UTF_8);
                    start = end + 1;
                    return new LineBytes(text, read, false);
                } else {
                    if (spill == null) {
                        spill = new ByteArrayOutputStream();
                    }
                    spill.write(buffer, start, length);
                }
            }
            start = complete ? end + 1 : end;
            if (complete) {
                return new LineBytes(tooLong ? null : text(spill), read, tooLong);
            }
        }
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes == null ? "" : bytes.toString(StandardCharsets.UTF_8);
    }

    private void next() {
        input++;
        offset = 0;
        line = 0;
    }

    @Override
    public Serializable checkpointInfo() {
        // the position that counts is the job row's, written with each chunk (ImportWriter)
        return jobId;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
