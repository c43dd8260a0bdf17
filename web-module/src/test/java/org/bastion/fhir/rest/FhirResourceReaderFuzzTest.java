package org.bastion.fhir.rest;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.domain.FhirLimits;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.Resource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes the FHIR body reader (docs/testing.md): any request body, as JSON or as XML, becomes a
 * resource or is refused with a 4xx FhirException (malformed, too large, too deeply nested, a
 * Bundle of too many entries); nothing else escapes, and no body takes unbounded time or memory.
 * An input is one byte choosing the format, X for XML and anything else for JSON, then the body.
 */
class FhirResourceReaderFuzzTest {

    /** The default limits, but with a body and a Bundle size that fuzzed inputs reach. */
    private static final FhirLimits LIMITS = new FhirLimits(16 * 1024, 10, FhirLimits.DEFAULT.depth(), FhirLimits.DEFAULT.orValues(),
            FhirLimits.DEFAULT.chainDepth(), FhirLimits.DEFAULT.includeSpecs(), FhirLimits.DEFAULT.count(), FhirLimits.DEFAULT.offset());

    static {
        MediaTypeRuntimeDelegate.install();
    }

    private final FhirResourceReader reader = new FhirResourceReader();

    FhirResourceReaderFuzzTest() {
        reader.settings = new BastionSettings() {
            @Override
            public FhirLimits fhirLimits() {
                return LIMITS;
            }
        };
    }

    @DictionaryEntries({"\"resourceType\"", "\"Patient\"", "\"Observation\"", "\"Bundle\"", "\"entry\"", "\"resource\"", "\"request\"",
            "\"valueQuantity\"", "\"value\"", "\"extension\"", "\"url\"", "\"contained\"", "\"_birthDate\"", "\"div\"", "\"meta\"",
            "<Patient xmlns=\"http://hl7.org/fhir\">", "<Bundle xmlns=\"http://hl7.org/fhir\">", "<entry>", "<resource>", "value=\"",
            "<extension url=\"", "<div xmlns=\"http://www.w3.org/1999/xhtml\">", "<!DOCTYPE", "<!ENTITY", "<![CDATA[", "&amp;", "/>"})
    @FuzzTest
    void anyBodyIsAResourceOrARefusal(byte[] input) throws IOException {
        boolean xml = input.length > 0 && input[0] == 'X';
        MediaType type = xml ? FhirMediaTypes.FHIR_XML_TYPE : FhirMediaTypes.FHIR_JSON_TYPE;
        ByteArrayInputStream body = new ByteArrayInputStream(input, Math.min(1, input.length), Math.max(0, input.length - 1));
        try {
            Resource resource = reader.readFrom(Resource.class, Resource.class, new Annotation[0], type, new MultivaluedHashMap<>(), body);
            assertNotNull(resource, "A body that is no refusal must be a resource");
        } catch (FhirException e) {
            if (e.status() < 400 || e.status() > 499) {
                throw new AssertionError("A body was answered with " + e.status() + ", not a 4xx", e);
            }
        }
    }
}
