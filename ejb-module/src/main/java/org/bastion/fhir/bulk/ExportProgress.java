package org.bastion.fhir.bulk;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far an export got, as its job row holds it: the unit (resource type) being read, the last
 * key written of it (pages go down the keys), and each file's lines and bytes. Written in the
 * same transaction as the chunk's lines are made durable, so a restarted job cuts every file back
 * to these sizes and goes on after this key: no line twice, none lost.
 */
public record ExportProgress(int unit, Long cursor, Map<String, FileState> files) {

    public static final ExportProgress START = new ExportProgress(0, null, Map.of());

    /** One file of the export: what it holds (output, error or deleted), its resource type, lines and bytes. */
    public record FileState(String kind, String type, long lines, long bytes) {
    }

    public ExportProgress {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    public long processed() {
        return files.values().stream().filter(f -> f.kind().equals(OUTPUT)).mapToLong(FileState::lines).sum();
    }

    public static final String OUTPUT = "output";
    public static final String ERROR = "error";
    public static final String DELETED = "deleted";

    public ExportProgress at(int unit, Long cursor, Map<String, FileState> files) {
        return new ExportProgress(unit, cursor, files);
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("unit", unit);
        if (cursor != null) {
            root.put("cursor", cursor);
        }
        List<Object> list = new ArrayList<>();
        files.forEach((name, f) -> {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("name", name);
            file.put("kind", f.kind());
            file.put("type", f.type());
            file.put("lines", f.lines());
            file.put("bytes", f.bytes());
            list.add(file);
        });
        root.put("files", list);
        return JSONObjectUtils.toJSONString(root);
    }

    public static ExportProgress parse(String json) {
        try {
            Map<String, Object> root = JSONObjectUtils.parse(json);
            Map<String, FileState> files = new LinkedHashMap<>();
            if (root.get("files") instanceof List<?> list) {
                for (Object o : list) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> file = (Map<String, Object>) o;
                    files.put((String) file.get("name"), new FileState((String) file.get("kind"), (String) file.get("type"),
                            ((Number) file.get("lines")).longValue(), ((Number) file.get("bytes")).longValue()));
                }
            }
            Object cursor = root.get("cursor");
            return new ExportProgress(((Number) root.get("unit")).intValue(), cursor == null ? null : ((Number) cursor).longValue(), files);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("A bulk job's progress is not readable: " + e.getMessage(), e);
        }
    }
}
