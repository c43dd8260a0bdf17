package org.bastion.fhir.validation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bastion.platform.InvalidInputException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the package reader (docs/testing.md): whatever an admin uploads, it is read as a package's
 * JSON files within the bounds, or refused with an InvalidInputException naming "package"; nothing
 * else escapes. An input is a tar archive's bytes (ustar headers, file contents, padding), which
 * the test gzips, as a package registry does; every tenth input goes as it is, not gzipped.
 */
class PackageArchiveFuzzTest {

    @FuzzTest
    void anyArchiveIsItsJsonFilesOrARefusal(byte[] input) {
        byte[] upload = input.length % 10 == 9 ? input : gzip(input);
        try {
            Map<String, String> files = PackageArchive.jsonFiles(new ByteArrayInputStream(upload));
            assertTrue(!files.isEmpty() && files.size() <= PackageArchive.MAX_FILES, "files: " + files.size());
            long total = 0;
            for (Map.Entry<String, String> file : files.entrySet()) {
                assertTrue(file.getKey().endsWith(".json") && file.getKey().indexOf('/') < 0, "kept " + file.getKey());
                total += file.getValue().length();
            }
            assertTrue(total <= PackageArchive.MAX_TOTAL, "total " + total);
        } catch (InvalidInputException e) {
            assertEquals("package", e.field(), e.getMessage());
        }
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
