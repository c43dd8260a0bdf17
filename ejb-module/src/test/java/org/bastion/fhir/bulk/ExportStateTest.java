package org.bastion.fhir.bulk;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a bulk job row holds survives the trip through its JSON, and _elements keeps a type's mandatory elements. */
class ExportStateTest {

    @Test
    void progressRoundTripsWithItsFilesInOrder() {
        ExportProgress progress = new ExportProgress(3, 123456789012L, Map.of());
        progress = progress.at(3, 42L, new java.util.LinkedHashMap<>(Map.of(
                "Patient.ndjson", new ExportProgress.FileState(ExportProgress.OUTPUT, "Patient", 10, 4096))));
        ExportProgress parsed = ExportProgress.parse(progress.json());
        assertEquals(progress, parsed);
        assertEquals(10, parsed.processed());
        assertNull(ExportProgress.parse(ExportProgress.START.json()).cursor());
        assertThrows(IllegalStateException.class, () -> ExportProgress.parse("{\"unit\":"));
    }

    @Test
    void theRequestRoundTripsWithEveryParameter() {
        ExportRequest request = new ExportRequest(ExportRequest.Level.GROUP, "g1", List.of("Patient", "Observation"),
                Instant.parse("2024-01-31T12:00:00.123Z"), Map.of("Observation", List.of("code=1", "category=laboratory")),
                List.of("birthDate"), List.of("p1", "p2"), List.of("Foo left out"));
        assertEquals(request, ExportRequest.parse(request.json()));
        ExportRequest system = new ExportRequest(ExportRequest.Level.SYSTEM, null, List.of("Patient"), null, Map.of(), List.of(), null, List.of());
        assertEquals(system, ExportRequest.parse(system.json()));
        assertTrue(!system.reportsDeleted());
        assertTrue(new ExportRequest(ExportRequest.Level.SYSTEM, null, List.of("Patient"), Instant.EPOCH, Map.of(), List.of(), null, List.of()).reportsDeleted());
    }

    @Test
    void elementsKeepTheTypesMandatoryOnesAndApplyOnlyToTheirType() {
        assertEquals(java.util.Set.of(), ExportReads.elements(List.of(), "Observation"));
        var observation = ExportReads.elements(List.of("subject", "Patient.birthDate"), "Observation");
        assertTrue(observation.contains("Observation.subject"));
        assertTrue(observation.contains("Observation.status") && observation.contains("Observation.code"), "mandatory: " + observation);
        assertTrue(observation.stream().noneMatch(e -> e.startsWith("Patient.")));
        assertEquals(java.util.Set.of(), ExportReads.elements(List.of("Observation.code"), "Patient"), "none applies: the whole resource");
    }
}
