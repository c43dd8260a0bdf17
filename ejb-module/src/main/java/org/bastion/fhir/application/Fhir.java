package org.bastion.fhir.application;

import ca.uhn.fhir.context.FhirContext;

/** The one FHIR R4 context: building it scans every model class, so it is made once per JVM. */
public final class Fhir {

    private Fhir() {
    }

    public static FhirContext r4() {
        return FhirContext.forR4Cached();
    }

    /** HAPI's FHIRPath engine for R4, as search parameter expressions need it. */
    public static ca.uhn.fhir.fhirpath.IFhirPath fhirPath() {
        return FHIR_PATH;
    }

    private static final ca.uhn.fhir.fhirpath.IFhirPath FHIR_PATH = r4().newFhirPath();

    /** A stored resource (JSON written by Bastion) back into the model. */
    public static org.hl7.fhir.r4.model.Resource parse(String json) {
        return (org.hl7.fhir.r4.model.Resource) r4().newJsonParser().parseResource(json);
    }

    public static String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        return r4().newJsonParser().encodeResourceToString(resource);
    }

    /**
     * A query string (a=1&b=2) as search parameters, decoded. It comes from the client (If-None-Exist,
     * a conditional URL, a scope's query), so a malformed %-escape is a 400, not an internal error.
     */
    public static java.util.Map<String, java.util.List<String>> parseQuery(String query) {
        java.util.Map<String, java.util.List<String>> params = new java.util.LinkedHashMap<>();
        String q = query.startsWith("?") ? query.substring(1) : query.contains("?") ? query.substring(query.indexOf('?') + 1) : query;
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(decode(kv[0], query), k -> new java.util.ArrayList<>()).add(kv.length > 1 ? decode(kv[1], query) : "");
        }
        return params;
    }

    private static String decode(String text, String query) {
        try {
            return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FhirException(400, org.hl7.fhir.r4.model.OperationOutcome.IssueType.INVALID,
                    "The query '" + query + "' is not URL-encoded: " + e.getMessage());
        }
    }

    public static boolean isResourceType(String name) {
        return r4().getResourceTypes().contains(name);
    }
}
