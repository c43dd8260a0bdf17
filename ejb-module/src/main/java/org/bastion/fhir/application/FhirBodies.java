package org.bastion.fhir.application;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.bastion.fhir.domain.FhirLimits;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A FHIR resource read from JSON or XML with HAPI's parsers, strictly: unknown elements, wrong
 * types and malformed content are a 400, never silently dropped. The bytes stream into the parser
 * through {@link BoundedBody} (size, nesting and number limits) rather than being copied first; a
 * Bundle with more entries than the limit is refused. Every resource from outside goes this way: a
 * request's body, a line of a bulk import.
 */
public final class FhirBodies {

    private FhirBodies() {
    }

    /** @param noun how a refusal names the input: "body" (a request's), "line" (an import's) */
    public static Resource read(InputStream in, FhirLimits limits, boolean xml, String noun) {
        BoundedBody body = new BoundedBody(in, limits, xml);
        IParser parser = xml ? Fhir.r4().newXmlParser() : Fhir.r4().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        Resource resource;
        try {
            resource = (Resource) parser.parseResource(new InputStreamReader(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            // HAPI refuses most malformed bodies with a DataFormatException, some with whatever its code ran into: an empty
            // JSON property name ("": …) with an index error, a string where an extension object belongs with a null pointer
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof FhirException limit) {
                    throw limit; // a limit of BoundedBody, wrapped by the parser
                }
            }
            if (body.bytesRead() == 0) {
                throw new FhirException(400, IssueType.REQUIRED, noun.equals("body") ? "The request has no body; send a FHIR resource"
                        : "The " + noun + " is empty");
            }
            throw new FhirException(400, IssueType.STRUCTURE, "The " + noun + " is not a valid FHIR R4 resource: " + e.getMessage());
        }
        if (xml) {
            checkXmlNumbers(resource); // JSON numbers were looked at as they streamed in; XML ones are text until now
        }
        if (resource instanceof Bundle bundle && bundle.getEntry().size() > limits.bundleEntries()) {
            throw new FhirException(413, IssueType.TOOCOSTLY, FhirLimits.exceeded("A Bundle of " + bundle.getEntry().size() + " entries",
                    limits.bundleEntries(), "BASTION_FHIR_MAX_BUNDLE_ENTRIES") + " entries; split it into several Bundles");
        }
        return resource;
    }

    private static void checkXmlNumbers(Resource resource) {
        for (DecimalType decimal : Fhir.r4().newTerser().getAllPopulatedChildElementsOfType(resource, DecimalType.class)) {
            BigDecimal value = decimal.getValue();
            if (value != null && (value.precision() > BoundedBody.MAX_NUMBER_CHARS || Math.abs(value.scale()) > BoundedBody.MAX_EXPONENT + BoundedBody.MAX_NUMBER_CHARS)) {
                throw new FhirException(400, IssueType.TOOCOSTLY, "The number " + decimal.getValueAsString().substring(0, Math.min(40,
                        decimal.getValueAsString().length())) + " in the body has more than " + BoundedBody.MAX_NUMBER_CHARS
                        + " digits or an exponent beyond ±" + BoundedBody.MAX_EXPONENT);
            }
        }
    }
}
