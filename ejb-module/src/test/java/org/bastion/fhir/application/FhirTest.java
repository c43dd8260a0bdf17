package org.bastion.fhir.application;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FhirTest {

    @Test
    void aQueryIsDecodedIntoItsParameters() {
        assertEquals(Map.of("name", List.of("Jürgen Müller"), "birthdate", List.of("ge1970", "lt1980"), "active", List.of("")),
                Fhir.parseQuery("Patient?name=J%C3%BCrgen+M%C3%BCller&birthdate=ge1970&birthdate=lt1980&&active"));
    }

    @Test
    void aBadPercentEscapeInAQueryIsABadRequest() {
        for (String query : List.of("code=%zz", "code=abc%", "%G1=x")) {
            FhirException e = assertThrows(FhirException.class, () -> Fhir.parseQuery(query), query);
            assertEquals(400, e.status(), query);
            assertEquals(IssueType.INVALID, e.issueType(), query);
        }
    }
}
