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
        AccessPolicy policy = AccessPolicy.of(List.of("patient/Observation.rs"), null, Reach.NOTHING);
        assertTrue(policy.restriction(Permission.READ, "Observation").denied());
        assertTrue(policy.refusal(Permission.READ, "Observation").contains("no patient claim"));
    }

    @Test
    void patientScopesOfAnOrganizationsKeyReachEachOfItsPatientsAndNeverEveryone() {
        AccessPolicy organization = AccessPolicy.ofReach(List.of("patient/Observation.rs", "patient/Subscription.cruds"),
                Reach.of(false, java.util.Set.of("b", "a")), Reach.NOTHING);
        assertEquals(List.of(new Alternative("a", null), new Alternative("b", null)), organization.restriction(Permission.SEARCH, "Observation").alternatives());
        assertTrue(organization.restriction(Permission.CREATE, "Subscription").denied(), "patient/ scopes send nothing out");
        AccessPolicy everything = AccessPolicy.ofReach(List.of("patient/Observation.rs"), Reach.EVERYTHING, Reach.NOTHING);
        assertTrue(everything.restriction(Permission.READ, "Observation").denied(), "every patient is no patient context");
        AccessPolicy none = AccessPolicy.ofReach(List.of("patient/Observation.rs"), Reach.NOTHING, Reach.NOTHING);
        assertTrue(none.restriction(Permission.READ, "Observation").denied());
        assertTrue(none.refusal(Permission.READ, "Observation").contains("managingOrganization"), none.refusal(Permission.READ, "Observation"));
    }

    @Test
    void v2QueriesNarrowAndTheBroadestGrantWins() {
        AccessPolicy narrow = AccessPolicy.of(List.of("patient/Observation.rs?category=laboratory", "patient/Observation.rs?category=vital-signs"), "p", Reach.NOTHING);
        assertEquals(List.of(new Alternative("p", "category=laboratory"), new Alternative("p", "category=vital-signs")),
                narrow.restriction(Permission.SEARCH, "Observation").alternatives());
        AccessPolicy broad = AccessPolicy.of(List.of("patient/Observation.rs?category=laboratory", "system/Observation.r"), "p", Reach.NOTHING);
        assertTrue(broad.restriction(Permission.READ, "Observation").unrestricted());
        assertFalse(broad.restriction(Permission.SEARCH, "Observation").unrestricted(), "search comes only from the narrow scope");
    }

    @Test
    void userScopesReachWhatTheUserReaches() {
        AccessPolicy patientUser = AccessPolicy.of(List.of("user/*.cruds"), null, Reach.of(false, java.util.Set.of("p7")));
        assertEquals(List.of(new Alternative("p7", null)), patientUser.restriction(Permission.UPDATE, "Condition").alternatives());
        AccessPolicy listed = AccessPolicy.of(List.of("user/Observation.rs"), null, Reach.of(false, java.util.Set.of("p2", "p1")));
        assertEquals(List.of(new Alternative("p1", null), new Alternative("p2", null)), listed.restriction(Permission.READ, "Observation").alternatives());
        AccessPolicy everyPatient = AccessPolicy.of(List.of("user/*.cruds"), null, Reach.EVERYTHING);
        assertTrue(everyPatient.restriction(Permission.DELETE, "Condition").unrestricted());
        AccessPolicy nobody = AccessPolicy.of(List.of("user/*.cruds"), null, Reach.NOTHING);
        assertTrue(nobody.restriction(Permission.READ, "Patient").denied(), "a user the server cannot place reaches nothing");
        assertTrue(nobody.refusal(Permission.READ, "Patient").contains("reaches no patient"));
    }

    @Test
    void onlyAPatientFhirUserNamesAPatient() {
        assertEquals("p7", AccessPolicy.patientOf("https://ehr.example.org/fhir/r4/Patient/p7"));
        assertEquals("p7", AccessPolicy.patientOf("Patient/p7"));
        assertEquals(null, AccessPolicy.patientOf("Practitioner/d1"));
        assertEquals(null, AccessPolicy.patientOf("RelatedPerson/r1"));
        assertEquals(null, AccessPolicy.patientOf("Patient/"));
        assertEquals(null, AccessPolicy.patientOf("garbage"));
        assertEquals(null, AccessPolicy.patientOf(null));
    }

    @Test
    void systemScopesNameTheirTypes() {
        AccessPolicy policy = AccessPolicy.of(List.of("system/Patient.write"), null, Reach.NOTHING);
        assertTrue(policy.restriction(Permission.UPDATE, "Patient").unrestricted());
        assertTrue(policy.restriction(Permission.READ, "Patient").denied());
        assertTrue(policy.restriction(Permission.CREATE, "Observation").denied());
        assertTrue(policy.refusal(Permission.CREATE, "Observation").endsWith("Granted: system/Patient.write"));
    }

    @Test
    void subscriptionsAreForSystemScopesAndUsersWhoReachEveryPatientOnly() {
        String type = AccessPolicy.SUBSCRIPTION;
        assertTrue(AccessPolicy.of(List.of("system/Subscription.cruds"), null, Reach.NOTHING).restriction(Permission.CREATE, type).unrestricted());
        assertTrue(AccessPolicy.of(List.of("system/*.*"), null, Reach.NOTHING).restriction(Permission.CREATE, type).unrestricted());
        assertTrue(AccessPolicy.of(List.of("user/*.cruds"), null, Reach.EVERYTHING).restriction(Permission.CREATE, type).unrestricted());
        AccessPolicy patient = AccessPolicy.of(List.of("patient/*.cruds"), "p1", Reach.NOTHING);
        assertTrue(patient.restriction(Permission.CREATE, type).denied());
        assertTrue(patient.restriction(Permission.READ, type).denied());
        assertFalse(patient.restriction(Permission.CREATE, "Observation").denied(), "other types as before");
        assertTrue(AccessPolicy.of(List.of("user/*.cruds"), null, Reach.of(false, java.util.Set.of("p1"))).restriction(Permission.CREATE, type).denied(),
                "a user of a few patients");
        assertTrue(patient.refusal(Permission.CREATE, type).contains("only for system/ scopes"), patient.refusal(Permission.CREATE, type));
    }
}
