package org.bastion.smart.domain;

import org.bastion.smart.domain.AccessPolicy.Alternative;
import org.bastion.smart.domain.SmartScope.Permission;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessPolicyTest {

    @Test
    void patientScopesReachTheLaunchPatientsCompartment() {
        AccessPolicy policy = AccessPolicy.of(List.of("openid", "launch/patient", "patient/*.read"), "123", null);
        assertEquals(List.of(new Alternative("123", null)), policy.restriction(Permission.READ, "Observation").alternatives());
        assertEquals(List.of(new Alternative("123", null)), policy.restriction(Permission.SEARCH, "Patient").alternatives());
        assertTrue(policy.restriction(Permission.CREATE, "Observation").denied(), "v1 read grants no create");
        assertTrue(policy.refusal(Permission.CREATE, "Observation").contains("patient/Observation.c"));
    }

    @Test
    void patientScopesWithoutALaunchPatientGrantNothingAndSayWhy() {
        AccessPolicy policy = AccessPolicy.of(List.of("patient/Observation.rs"), null, null);
        assertTrue(policy.restriction(Permission.READ, "Observation").denied());
        assertTrue(policy.refusal(Permission.READ, "Observation").contains("no patient claim"));
    }

    @Test
    void v2QueriesNarrowAndTheBroadestGrantWins() {
        AccessPolicy narrow = AccessPolicy.of(List.of("patient/Observation.rs?category=laboratory", "patient/Observation.rs?category=vital-signs"), "p", null);
        assertEquals(List.of(new Alternative("p", "category=laboratory"), new Alternative("p", "category=vital-signs")),
                narrow.restriction(Permission.SEARCH, "Observation").alternatives());
        AccessPolicy broad = AccessPolicy.of(List.of("patient/Observation.rs?category=laboratory", "system/Observation.r"), "p", null);
        assertTrue(broad.restriction(Permission.READ, "Observation").unrestricted());
        assertFalse(broad.restriction(Permission.SEARCH, "Observation").unrestricted(), "search comes only from the narrow scope");
    }

    @Test
    void userScopesActAsTheFhirUser() {
        AccessPolicy patientUser = AccessPolicy.of(List.of("user/*.cruds"), null, "https://ehr.example.org/fhir/r4/Patient/p7");
        assertEquals(List.of(new Alternative("p7", null)), patientUser.restriction(Permission.UPDATE, "Condition").alternatives());
        AccessPolicy practitioner = AccessPolicy.of(List.of("user/*.cruds"), null, "Practitioner/d1");
        assertTrue(practitioner.restriction(Permission.DELETE, "Condition").unrestricted());
    }

    @Test
    void systemScopesNameTheirTypes() {
        AccessPolicy policy = AccessPolicy.of(List.of("system/Patient.write"), null, null);
        assertTrue(policy.restriction(Permission.UPDATE, "Patient").unrestricted());
        assertTrue(policy.restriction(Permission.READ, "Patient").denied());
        assertTrue(policy.restriction(Permission.CREATE, "Observation").denied());
        assertTrue(policy.refusal(Permission.CREATE, "Observation").endsWith("Granted: system/Patient.write"));
    }
}
