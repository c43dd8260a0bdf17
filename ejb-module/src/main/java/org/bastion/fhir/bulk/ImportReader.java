package org.bastion.fhir.bulk;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.platform.BastionSettings;

import java.io.BufferedInputStream;
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

    @Override
    public void open(Serializable checkpoint) {
        if (!BulkStepListener.holds(stepContext)) {
            return;
        }
        job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("Bulk job " + jobId + " is gone"));
        request = ImportRequest.parse(job.parameters());
        ImportProgress progress = ImportProgress.parse(job.progress());
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
                        next();
                        return item;
                    }
                }
                channel.position(offset);
                stream = new BufferedInputStream(Channels.newInputStream(channel), 1 << 20);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long read = 0;
            boolean tooLong = false;
            int b;
            while ((b = stream.read()) != -1) {
                read++;
                if (b == '\n') {
                    break;
                }
                if (bytes.size() < limit) {
                    bytes.write(b);
                } else {
                    tooLong = true;
                }
            }
            if (read == 0) {
                stream.close();
                stream = null;
                next();
                continue;
            }
            offset += read;
            line++;
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (!tooLong && text.isBlank()) {
                continue;
            }
            return new ImportWrites.Line(input, line, offset, tooLong ? null : text, current.type(), current.url());
        }
        return null;
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
