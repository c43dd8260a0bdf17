package org.bastion.fhir.bulk;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bulk job as people read it, from its row: how far it got in words (the status URL's X-Progress,
 * the console's progress), the resources written per type and the lines that failed.
 */
public record BulkJobView(BulkJob job, String progress, Map<String, Long> counts, long resources, long errors, double done) {

    public static BulkJobView of(BulkJob job) {
        return job.kind() == BulkJob.Kind.EXPORT ? export(job) : imported(job);
    }

    private static BulkJobView export(BulkJob job) {
        ExportRequest request = ExportRequest.parse(job.parameters());
        ExportProgress progress = ExportProgress.parse(job.progress());
        Map<String, Long> counts = new LinkedHashMap<>();
        long errors = 0;
        for (ExportProgress.FileState file : progress.files().values()) {
            if (file.kind().equals(ExportProgress.OUTPUT)) {
                counts.put(file.type(), file.lines());
            } else if (file.kind().equals(ExportProgress.ERROR)) {
                errors += file.lines();
            }
        }
        int units = request.types().size() + (request.reportsDeleted() ? 1 : 0);
        String text;
        if (job.status() == BulkJob.Status.ACCEPTED) {
            text = "accepted, starting";
        } else if (job.status().finished()) {
            text = ended(job, progress.processed() + " resources written");
        } else {
            int unit = progress.unit();
            String where = unit < request.types().size() ? request.types().get(unit) + " (type " + (unit + 1) + " of " + request.types().size() + ")"
                    : "deleted resources";
            text = "exporting " + where + ", " + progress.processed() + " resources written";
        }
        double done = job.status() == BulkJob.Status.COMPLETED ? 1 : units == 0 ? 0 : Math.min(1, (double) progress.unit() / units);
        return new BulkJobView(job, text, counts, progress.processed(), errors, done);
    }

    private static BulkJobView imported(BulkJob job) {
        ImportRequest request = ImportRequest.parse(job.parameters());
        ImportProgress progress = ImportProgress.parse(job.progress());
        String text;
        if (job.status() == BulkJob.Status.ACCEPTED) {
            text = "accepted, starting";
        } else if (job.status().finished()) {
            text = ended(job, progress.processed() + " resources written, " + progress.errorCount() + " lines failed");
        } else {
            int input = Math.min(progress.input(), request.inputs().size() - 1);
            text = "importing input " + (input + 1) + " of " + request.inputs().size() + " (" + request.inputs().get(input).url() + ") after line "
                    + progress.line() + ", " + progress.processed() + " resources written, " + progress.errorCount() + " lines failed";
        }
        double done = job.status() == BulkJob.Status.COMPLETED ? 1 : request.inputs().isEmpty() ? 0
                : Math.min(1, (double) progress.input() / request.inputs().size());
        return new BulkJobView(job, text, progress.imported(), progress.processed(), progress.errorCount(), done);
    }

    /** A finished job in words: how it ended and what it wrote. */
    private static String ended(BulkJob job, String written) {
        return job.status().name().toLowerCase(java.util.Locale.ROOT) + ", " + written;
    }
}
