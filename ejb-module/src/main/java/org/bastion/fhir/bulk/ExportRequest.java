package org.bastion.fhir.bulk;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an export was asked to do, decided at kick-off (Bulk Data IG 2.0 §export): the level, the
 * resource types in the order they are written (only those the token may read), the _since
 * instant, the _typeFilter queries per type (a resource matching any of them), the _elements, and
 * the patients whose compartments are exported (null: every resource of the types, the system
 * level; empty: every patient's compartment, the patient level without a patient parameter).
 * Notes are what was left out (lenient handling), for the error file.
 */
public record ExportRequest(Level level, String group, List<String> types, Instant since, Map<String, List<String>> typeFilters,
                            List<String> elements, List<String> patients, List<String> notes) {

    public enum Level {
        SYSTEM, PATIENT, GROUP
    }

    public ExportRequest {
        types = List.copyOf(types);
        typeFilters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(typeFilters));
        elements = List.copyOf(elements);
        patients = patients == null ? null : List.copyOf(patients);
        notes = List.copyOf(notes);
    }

    /** Whether deleted resources are reported: with _since, at the system level (a deleted resource's compartment is gone with it). */
    public boolean reportsDeleted() {
        return since != null && level == Level.SYSTEM;
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("level", level.name());
        if (group != null) {
            root.put("group", group);
        }
        root.put("types", types);
        if (since != null) {
            root.put("since", since.toString());
        }
        root.put("typeFilters", typeFilters);
        root.put("elements", elements);
        if (patients != null) {
            root.put("patients", patients);
        }
        root.put("notes", notes);
        return JSONObjectUtils.toJSONString(root);
    }

    @SuppressWarnings("unchecked")
    public static ExportRequest parse(String json) {
        try {
            Map<String, Object> root = JSONObjectUtils.parse(json);
            Map<String, List<String>> filters = new LinkedHashMap<>();
            ((Map<String, Object>) root.get("typeFilters")).forEach((type, queries) -> filters.put(type, strings(queries)));
            return new ExportRequest(Level.valueOf((String) root.get("level")), (String) root.get("group"), strings(root.get("types")),
                    root.get("since") == null ? null : Instant.parse((String) root.get("since")), filters, strings(root.get("elements")),
                    root.get("patients") == null ? null : strings(root.get("patients")), strings(root.get("notes")));
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("A bulk job's parameters are not readable: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> values) {
            values.forEach(v -> out.add((String) v));
        }
        return out;
    }
}
