package org.bastion.fhir.application;

import ca.uhn.fhir.context.FhirContext;

/** The one FHIR R4 context: building it scans every model class, so it is made once per JVM. */
public final class Fhir {

    private Fhir() {
    }

    public static FhirContext r4() {
        return FhirContext.forR4Cached();
    }

    public static boolean isResourceType(String name) {
        return r4().getResourceTypes().contains(name);
    }
}
