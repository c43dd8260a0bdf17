package org.bastion.fhir.bulk;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The bulk jobs' files: a folder per job under BASTION_BULK_DIR, named by the job's id. */
@ApplicationScoped
public class BulkFiles {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f\\-]{36}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z]{1,64}(\\.[a-z]{1,16})?\\.ndjson");

    @Inject
    BastionSettings settings;

    /** A job's folder. */
    public Path folder(String jobId) {
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new IllegalArgumentException("Not a bulk job id: " + jobId);
        }
        return settings.bulkDirectory().resolve(jobId);
    }

    /** Whether a name is one a job's file can have (Type.ndjson, errors.ndjson, deleted.ndjson): never a path. */
    public static boolean fileName(String name) {
        return name != null && FILE_NAME.matcher(name).matches();
    }

    /** One of a job's files, for reading; null when the name cannot be one. */
    public Path file(String jobId, String name) {
        return fileName(name) ? folder(jobId).resolve(name) : null;
    }

    /**
     * Opens a job's files as its progress left them: each cut back to the bytes the progress
     * records (lines written after the last checkpoint go), files it does not record removed.
     */
    public void restore(String jobId, Map<String, ExportProgress.FileState> files) {
        Path folder = folder(jobId);
        try {
            Files.createDirectories(folder);
            try (Stream<Path> listed = Files.list(folder)) {
                for (Path path : listed.toList()) {
                    ExportProgress.FileState state = files.get(path.getFileName().toString());
                    if (state == null) {
                        Files.delete(path);
                    } else if (Files.size(path) > state.bytes()) {
                        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                            channel.truncate(state.bytes());
                            channel.force(true);
                        }
                    } else if (Files.size(path) < state.bytes()) {
                        throw new IllegalStateException("Bulk job " + jobId + ": " + path.getFileName() + " holds " + Files.size(path)
                                + " bytes where its progress records " + state.bytes() + ": the files were changed or lost");
                    }
                }
            }
            for (String name : files.keySet()) {
                if (!Files.exists(folder.resolve(name))) {
                    throw new IllegalStateException("Bulk job " + jobId + ": " + name + " is missing from " + folder);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Bulk job " + jobId + ": its files in " + folder + " cannot be opened", e);
        }
    }

    /**
     * Makes a job's folder and the files created in it durable (their directory entries), for the
     * files a job's progress records to be there after a power loss, not only their bytes.
     */
    public void syncFolder(String jobId) {
        Path folder = folder(jobId);
        for (Path directory : new Path[]{folder, folder.getParent()}) {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("Bulk job " + jobId + ": cannot make " + directory + " durable", e);
            }
        }
    }

    /** Writes all the bytes to a channel (a channel may take fewer at a time). */
    public static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Opens a file of a job to append to. */
    public FileChannel append(String jobId, String name) {
        Path path = folder(jobId).resolve(name);
        try {
            return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Bulk job " + jobId + ": cannot write " + path, e);
        }
    }

    /** Removes the uploads (files for imports) last written before a time, but those named in keep (still to be read): how many went. */
    public int expireUploads(java.time.Instant before, java.util.Set<String> keep) {
        Path uploads = settings.bulkDirectory().resolve("uploads");
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> walk = Files.walk(uploads, 2)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                boolean kept = keep.contains(name.endsWith(".ndjson") ? name.substring(0, name.length() - ".ndjson".length()) : name);
                if (!kept && Files.getLastModifiedTime(path).toInstant().isBefore(before) && Files.deleteIfExists(path)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Uploads in " + uploads + " could not be listed", e);
        }
        return removed;
    }

    /** Removes a job's folder and its files; true when there was nothing left to remove or all went. */
    public boolean delete(String jobId) {
        Path folder = folder(jobId);
        if (!Files.exists(folder)) {
            return true;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
