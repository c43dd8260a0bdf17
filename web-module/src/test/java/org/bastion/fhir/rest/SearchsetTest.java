package org.bastion.fhir.rest;

import ca.uhn.fhir.parser.IParser;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirRepository;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A searchset written from stored JSON is, byte for byte, what HAPI writes for the parsed Bundle. */
class SearchsetTest {

    private static final String BASE = "http://localhost:8080/fhir/r4";
    private final IParser json = Fhir.r4().newJsonParser();

    @Test
    void matchesIncludesAndAnOutcomeAreWrittenAsHapiWritesTheWholeBundle() {
        List<Searchset.Match> matches = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Observation observation = new Observation();
            observation.setId("o" + i);
            observation.getMeta().setVersionId(Integer.toString(i)).setLastUpdatedElement(new InstantType("2026-12-03T10:00:0" + i + "Z"));
            observation.setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/p1"))
                    .setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", "Systolic \"blood\" pressure \u00e9")))
                    .setValue(new Quantity().setValue(120 + i).setUnit("mm[Hg]"));
            matches.add(new Searchset.Match(BASE + "/Observation/o" + i, new FhirRepository.Found(i, "o" + i, json.encodeResourceToString(observation))));
        }
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName().setFamily("Yamada");
        Bundle.BundleEntryComponent included = new Bundle.BundleEntryComponent().setFullUrl(BASE + "/Patient/p1").setResource(patient);
        included.getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING).setCode(OperationOutcome.IssueType.NOTSUPPORTED).setDiagnostics("Ignored: x");
        Bundle.BundleEntryComponent warning = new Bundle.BundleEntryComponent().setResource(outcome);
        warning.getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);

        for (List<Bundle.BundleEntryComponent> after : List.of(List.<Bundle.BundleEntryComponent>of(), List.of(included, warning))) {
            for (List<Searchset.Match> found : List.of(matches, List.<Searchset.Match>of())) {
                Searchset searchset = new Searchset(head(), found, after);
                assertEquals(json.encodeResourceToString(searchset.toBundle()), searchset.json(),
                        found.size() + " matches, " + after.size() + " entries after them");
            }
        }
    }

    private static Bundle head() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(3);
        bundle.getMeta().setLastUpdatedElement(new InstantType("2026-12-03T10:00:00Z"));
        bundle.addLink().setRelation("self").setUrl(BASE + "/Observation?patient=p1");
        bundle.addLink().setRelation("next").setUrl(BASE + "/Observation?patient=p1&_count=3&_cursor=1");
        return bundle;
    }
}
