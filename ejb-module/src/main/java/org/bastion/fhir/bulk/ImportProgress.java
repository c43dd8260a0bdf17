package org.bastion.fhir.bulk;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far an import got, as its job row holds it: the input being read, the byte offset and line
 * number after the last line done, the resources written per type and the error file. Written in
 * the same transaction as the lines' resources, so a restarted import goes on after the last line
 * whose resources committed: none twice, none lost. Its "unit", "cursor" and "files" are read as
 * an {@link ExportProgress} too (the files a status URL serves).
 */
public record ImportProgress(int input, long offset, long line, Map<String, Long> imported, ExportProgress.FileState errors) {

    public static final String ERRORS = "errors.ndjson";
    public static final ImportProgress START = new ImportProgress(0, 0, 0, Map.of(), null);

    public ImportProgress {
        imported = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(imported));
    }

    public long processed() {
        return imported.values().stream().mapToLong(Long::longValue).sum();
    }

    public long errorCount() {
        return errors == null ? 0 : errors.lines();
    }

    /** After a line (or the whole of a JSON input) of an input: its end, with what it wrote. */
    public ImportProgress after(int input, long offset, long line, Map<String, Long> written) {
        Map<String, Long> counts = new LinkedHashMap<>(imported);
        written.forEach((type, n) -> counts.merge(type, n, Long::sum));
        return new ImportProgress(input, offset, line, counts, errors);
    }

    public ImportProgress withErrors(ExportProgress.FileState errors) {
        return new ImportProgress(input, offset, line, imported, errors);
    }

    /** The next input, from its start. */
    public ImportProgress nextInput() {
        return new ImportProgress(input + 1, 0, 0, imported, errors);
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("unit", input);
        root.put("cursor", offset);
        root.put("line", line);
        root.put("imported", imported);
        Map<String, Object> file = new LinkedHashMap<>();
        if (errors != null) {
            file.put("name", ERRORS);
            file.put("kind", errors.kind());
            file.put("type", errors.type());
            file.put("lines", errors.lines());
            file.put("bytes", errors.bytes());
        }
        root.put("files", errors == null ? List.of() : List.of(file));
        return JSONObjectUtils.toJSONString(root);
    }

    @SuppressWarnings("unchecked")
    public static ImportProgress parse(String json) {
        try {
            Map<String, Object> root = JSONObjectUtils.parse(json);
            ExportProgress shared = ExportProgress.parse(json);
            Map<String, Long> imported = new LinkedHashMap<>();
            ((Map<String, Object>) root.getOrDefault("imported", Map.of())).forEach((type, n) -> imported.put(type, ((Number) n).longValue()));
            return new ImportProgress(shared.unit(), shared.cursor() == null ? 0 : shared.cursor(),
                    root.get("line") == null ? 0 : ((Number) root.get("line")).longValue(), imported, shared.files().get(ERRORS));
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("A bulk import's progress is not readable: " + e.getMessage(), e);
        }
    }
}
