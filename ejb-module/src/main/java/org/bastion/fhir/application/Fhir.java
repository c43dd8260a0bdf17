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

    /** A query string (a=1&b=2) as search parameters, decoded. */
    public static java.util.Map<String, java.util.List<String>> parseQuery(String query) {
        java.util.Map<String, java.util.List<String>> params = new java.util.LinkedHashMap<>();
        String q = query.startsWith("?") ? query.substring(1) : query.contains("?") ? query.substring(query.indexOf('?') + 1) : query;
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            params.computeIfAbsent(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
                    .add(kv.length > 1 ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8) : "");
        }
        return params;
    }

    public static boolean isResourceType(String name) {
        return r4().getResourceTypes().contains(name);
    }
}
