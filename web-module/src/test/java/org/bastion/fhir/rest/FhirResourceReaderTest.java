package org.bastion.fhir.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.domain.FhirLimits;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FhirResourceReaderTest {

    static {
        MediaTypeRuntimeDelegate.install();
    }

    private final FhirResourceReader reader = new FhirResourceReader();

    FhirResourceReaderTest() {
        reader.settings = new BastionSettings() {
            @Override
            public FhirLimits fhirLimits() {
                return FhirLimits.DEFAULT;
            }
        };
    }

    private Resource read(String body, MediaType type) throws IOException {
        return reader.readFrom(Resource.class, Resource.class, new Annotation[0], type, new MultivaluedHashMap<>(),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPatientIsReadFromJsonAndFromXml() throws IOException {
        assertTrue(read("{\"resourceType\":\"Patient\",\"gender\":\"female\"}", FhirMediaTypes.FHIR_JSON_TYPE) instanceof Patient);
        assertTrue(read("<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"female\"/></Patient>", FhirMediaTypes.FHIR_XML_TYPE)
                instanceof Patient);
    }

    @Test
    void anEmptyJsonPropertyNameIsAStructureError() {
        FhirException e = assertThrows(FhirException.class, () -> read("{\"resourceType\":\"Patient\",\"\":{}}", FhirMediaTypes.FHIR_JSON_TYPE));
        assertEquals(400, e.status());
        assertEquals(IssueType.STRUCTURE, e.issueType());
    }

    @Test
    void aStringWhereAnExtensionBelongsIsAStructureError() {
        FhirException e = assertThrows(FhirException.class, () -> read("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\",\"modifierExtension\":[\"J\"]}]}",
                FhirMediaTypes.FHIR_JSON_TYPE));
        assertEquals(400, e.status());
        assertEquals(IssueType.STRUCTURE, e.issueType());
    }
}
