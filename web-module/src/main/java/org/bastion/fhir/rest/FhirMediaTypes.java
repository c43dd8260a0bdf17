package org.bastion.fhir.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.util.Locale;
import java.util.Optional;

/** FHIR's MIME types and the _format parameter (FHIR R4 http.html#mime-type). */
final class FhirMediaTypes {

    static final String FHIR_JSON = "application/fhir+json";
    static final String FHIR_XML = "application/fhir+xml";
    static final MediaType FHIR_JSON_TYPE = MediaType.valueOf(FHIR_JSON);
    static final MediaType FHIR_XML_TYPE = MediaType.valueOf(FHIR_XML);

    private FhirMediaTypes() {
    }

    /** The media type a _format value names, or empty when it names none FHIR knows. */
    static Optional<MediaType> fromFormatParameter(String format) {
        String f = format.trim().toLowerCase(Locale.ROOT);
        int semicolon = f.indexOf(';');
        if (semicolon >= 0) {
            f = f.substring(0, semicolon).trim();
        }
        return switch (f) {
            case "json", "application/json", FHIR_JSON, "application/json+fhir" -> Optional.of(FHIR_JSON_TYPE);
            case "xml", "text/xml", "application/xml", FHIR_XML, "application/xml+fhir" -> Optional.of(FHIR_XML_TYPE);
            default -> Optional.empty();
        };
    }

    static boolean isXml(MediaType type) {
        return type.getSubtype().contains("xml");
    }

    /** For error responses, which are written before or outside content negotiation. */
    static MediaType preferred(HttpHeaders headers) {
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isWildcardSubtype()) {
                break;
            }
            if (isXml(accepted)) {
                return FHIR_XML_TYPE;
            }
            if (accepted.getSubtype().contains("json")) {
                return FHIR_JSON_TYPE;
            }
        }
        return FHIR_JSON_TYPE;
    }
}
