package org.bastion.fhir.search;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchIndexerTest {

    @Test
    void patientNamesIdentifiersGenderAndBirthDateAreIndexed() {
        Patient patient = new Patient();
        patient.addName().setFamily("Müller").addGiven("Jürgen");
        patient.addIdentifier().setSystem("urn:mrn").setValue("12345");
        patient.setGender(Enumerations.AdministrativeGender.MALE);
        patient.setBirthDateElement(new DateType("1970-05"));
        patient.addGeneralPractitioner(new Reference("Practitioner/p1"));

        List<IndexRow> rows = SearchIndexer.extract(patient);

        assertTrue(rows.contains(new IndexRow.StringValue("family", "muller", "Müller")), rows.toString());
        assertTrue(rows.contains(new IndexRow.StringValue("name", "jurgen", "Jürgen")), rows.toString());
        assertTrue(rows.contains(new IndexRow.Token("identifier", "urn:mrn", "12345")), rows.toString());
        assertTrue(rows.contains(new IndexRow.Token("gender", "http://hl7.org/fhir/administrative-gender", "male")), rows.toString());
        assertTrue(rows.contains(new IndexRow.Reference("general-practitioner", "Practitioner", "p1", null)), rows.toString());
        assertTrue(rows.contains(new IndexRow.DateRange("birthdate", Instant.parse("1970-05-01T00:00:00Z"),
                Instant.parse("1970-05-31T23:59:59.999Z"))), rows.toString());
    }

    @Test
    void observationCodeSubjectDateAndQuantityAreIndexed() {
        Observation observation = new Observation();
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        observation.setSubject(new Reference("Patient/123"));
        observation.setEffective(new DateTimeType("2024-03-01T10:15:00Z"));
        observation.setValue(new Quantity().setValue(new BigDecimal("72")).setSystem("http://unitsofmeasure.org").setCode("/min"));

        List<IndexRow> rows = SearchIndexer.extract(observation);

        assertTrue(rows.contains(new IndexRow.Token("code", "http://loinc.org", "8867-4")), rows.toString());
        assertTrue(rows.contains(new IndexRow.Reference("subject", "Patient", "123", null)), rows.toString());
        assertTrue(rows.contains(new IndexRow.Reference("patient", "Patient", "123", null)), rows.toString());
        assertTrue(rows.stream().anyMatch(r -> r instanceof IndexRow.DateRange d && d.param().equals("date")
                && d.low().equals(Instant.parse("2024-03-01T10:15:00Z"))), rows.toString());
        assertTrue(rows.contains(new IndexRow.Number("value-quantity", new BigDecimal("71.5"), new BigDecimal("72.5"),
                "http://unitsofmeasure.org", "/min")), rows.toString());
    }

    @Test
    void aNumberCoversTheRangeOfItsSignificantDigits() {
        BigDecimal[] range = NumberRange.of(new BigDecimal("100.0"));
        assertEquals(new BigDecimal("99.95"), range[0]);
        assertEquals(new BigDecimal("100.05"), range[1]);
    }
}
