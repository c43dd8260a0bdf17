package org.bastion.fhir.validation;

import org.bastion.platform.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The JSON files of a FHIR NPM package (a gzipped tar, as {@code npm pack} and the FHIR package
 * registries make it), read with bounds: each file at most {@link #MAX_FILE} bytes, all of them at
 * most {@link #MAX_TOTAL}, at most {@link #MAX_FILES} files, so a small archive cannot expand into
 * a large heap, and the archive itself at most {@link #MAX_ARCHIVE} bytes. Only files under {@code package/} ending in .json are kept; examples, other
 * folders and anything else are skipped unread.
 */
public final class PackageArchive {

    static final long MAX_ARCHIVE = 64L * 1024 * 1024;
    static final int MAX_FILE = 10 * 1024 * 1024;
    static final long MAX_TOTAL = 256L * 1024 * 1024;
    static final int MAX_FILES = 20_000;
    private static final int BLOCK = 512;

    private PackageArchive() {
    }

    /** File name (without package/) → content, in archive order; a 400 naming "package" when it is no package. */
    public static Map<String, String> jsonFiles(InputStream gzipped) {
        Map<String, String> files = new LinkedHashMap<>();
        long total = 0;
        try (InputStream tar = new GZIPInputStream(new Capped(gzipped), 64 * 1024)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (readFully(tar, header)) {
                if (isZero(header)) {
                    break;
                }
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = octal(header, 124, 12);
                char kind = (char) header[156];
                if (size < 0) {
                    throw new InvalidInputException("package", "is not a readable tar archive (an entry has no valid size)");
                }
                if (kind == 'L') {
                    longName = new String(content(tar, size, 4096, "a long file name"), StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                boolean wanted = (kind == '0' || kind == '\0') && name.startsWith("package/") && name.endsWith(".json")
                        && name.indexOf('/', "package/".length()) < 0;
                if (!wanted) {
                    skip(tar, padded(size));
                    continue;
                }
                if (files.size() >= MAX_FILES) {
                    throw new InvalidInputException("package", "has more than " + MAX_FILES + " JSON files in package/");
                }
                total += size;
                if (total > MAX_TOTAL) {
                    throw new InvalidInputException("package", "expands to more than " + MAX_TOTAL / (1024 * 1024) + " MB of JSON");
                }
                byte[] body = content(tar, size, MAX_FILE, name);
                files.put(name.substring("package/".length()), new String(body, StandardCharsets.UTF_8));
            }
        } catch (ZipException e) {
            throw new InvalidInputException("package", "is not gzip-compressed: upload the package's .tgz file as it is (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidInputException("package", "could not be read as a .tgz archive: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new InvalidInputException("package", "has no JSON files in package/: it is not a FHIR package");
        }
        return files;
    }

    private static byte[] content(InputStream tar, long size, int max, String what) throws IOException {
        if (size > max) {
            throw new InvalidInputException("package", what + " is larger than " + max / (1024 * 1024) + " MB");
        }
        byte[] body = new byte[(int) size];
        if (!readFully(tar, body)) {
            throw new InvalidInputException("package", "ends in the middle of " + what);
        }
        skip(tar, padded(size) - size);
        return body;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        String prefix = "ustar".equals(text(header, 257, 5)) ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = text(header, offset, length).trim();
        if (digits.isEmpty() || !digits.matches("[0-7]{1,11}")) {
            return -1;
        }
        return Long.parseLong(digits, 8);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Fills the buffer; false at a clean end of the stream before the first byte. */
    private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                if (read == 0) {
                    return false;
                }
                throw new InvalidInputException("package", "ends in the middle of a tar block");
            }
            read += n;
        }
        return true;
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        byte[] sink = new byte[8192];
        while (left > 0) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                throw new InvalidInputException("package", "ends in the middle of a file");
            }
            left -= n;
        }
    }

    /** The upload, refused once it passes {@link #MAX_ARCHIVE} bytes. */
    private static final class Capped extends java.io.FilterInputStream {
        private long read;

        Capped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > MAX_ARCHIVE) {
                throw new InvalidInputException("package", "is larger than " + MAX_ARCHIVE / (1024 * 1024) + " MB");
            }
        }
    }
}
