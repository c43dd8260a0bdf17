package org.bastion.fhir.bulk;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.bastion.platform.NodeName;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Appends a chunk's lines to the export's files, forces them to disk, then — in the chunk's
 * transaction, holding the job row's lock — records the position and the files' sizes. A chunk of
 * a job that was cancelled or taken over meanwhile writes nothing and ends the step.
 */
@Named("bulkExportWriter")
@Dependent
public class ExportWriter extends AbstractItemWriter {

    @Inject
    @BatchProperty(name = "job")
    String jobId;

    @Inject
    JobContext jobContext;

    @Inject
    StepContext stepContext;

    @EJB
    BulkJobs jobs;

    @Inject
    BulkFiles files;

    private final Map<String, FileChannel> channels = new HashMap<>();
    private Map<String, ExportProgress.FileState> states;

    @Override
    public void open(Serializable checkpoint) {
        if (!BulkStepListener.holds(stepContext)) {
            return;
        }
        BulkJob job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("Bulk job " + jobId + " is gone"));
        ExportProgress progress = ExportProgress.parse(job.progress());
        files.restore(jobId, progress.files());
        states = new LinkedHashMap<>(progress.files());
    }

    @Override
    public void writeItems(List<Object> items) {
        if (!BulkStepListener.holds(stepContext) || items.isEmpty()) {
            return;
        }
        Optional<BulkJob> locked = jobs.lockIfRunning(jobId, NodeName.get(), jobContext.getExecutionId());
        if (locked.isEmpty()) {
            BulkStepListener.release(stepContext);
            return;
        }
        Set<FileChannel> touched = new LinkedHashSet<>();
        ExportReads.Line last = null;
        boolean created = false;
        try {
            for (Object item : items) {
                ExportReads.Line line = (ExportReads.Line) item;
                byte[] bytes = (line.json() + "\n").getBytes(StandardCharsets.UTF_8);
                FileChannel channel = channels.get(line.file());
                if (channel == null) {
                    created |= !states.containsKey(line.file());
                    channel = files.append(jobId, line.file());
                    channels.put(line.file(), channel);
                }
                BulkFiles.writeFully(channel, bytes);
                touched.add(channel);
                ExportProgress.FileState state = states.get(line.file());
                states.put(line.file(), new ExportProgress.FileState(line.kind(), line.type(),
                        (state == null ? 0 : state.lines()) + 1, (state == null ? 0 : state.bytes()) + bytes.length));
                last = line;
            }
            for (FileChannel channel : touched) {
                channel.force(false);
            }
            if (created) {
                files.syncFolder(jobId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Bulk job " + jobId + ": writing its files failed", e);
        }
        ExportProgress progress = new ExportProgress(last.unit(), last.pk(), states);
        jobs.advance(locked.get(), progress.json(), progress.processed(), Instant.now());
    }

    @Override
    public void close() {
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a file that was forced already loses nothing
            }
        }
        channels.clear();
    }
}
