package org.bastion.smart.domain;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.bastion.smart.domain.SmartScope.Permission.CREATE;
import static org.bastion.smart.domain.SmartScope.Permission.DELETE;
import static org.bastion.smart.domain.SmartScope.Permission.READ;
import static org.bastion.smart.domain.SmartScope.Permission.SEARCH;
import static org.bastion.smart.domain.SmartScope.Permission.UPDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmartScopeTest {

    @Test
    void v1ReadMeansReadAndSearchAndWriteMeansCreateUpdateDelete() {
        SmartScope read = SmartScope.parse("patient/Observation.read").orElseThrow();
        assertEquals(SmartScope.Context.PATIENT, read.context());
        assertEquals("Observation", read.resourceType());
        assertEquals(EnumSet.of(READ, SEARCH), read.permissions());
        assertTrue(read.v1());
        assertEquals(EnumSet.of(CREATE, UPDATE, DELETE), SmartScope.parse("user/*.write").orElseThrow().permissions());
        assertEquals(EnumSet.allOf(SmartScope.Permission.class), SmartScope.parse("system/*.*").orElseThrow().permissions());
    }

    @Test
    void v2PermissionsAreLettersOfCrudsInOrderWithAnOptionalQuery() {
        SmartScope scope = SmartScope.parse("patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory")
                .orElseThrow();
        assertEquals(EnumSet.of(READ, SEARCH), scope.permissions());
        assertFalse(scope.v1());
        assertEquals("category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory", scope.query());
        assertTrue(SmartScope.parse("user/Patient.cruds").isPresent());
        assertTrue(SmartScope.parse("user/Patient.sr").isEmpty(), "letters out of order");
        assertTrue(SmartScope.parse("user/Patient.rr").isEmpty());
        assertTrue(SmartScope.parse("patient/Observation.read?code=x").isEmpty(), "v1 permissions take no query");
    }

    @Test
    void unknownContextsAndResourceTypesAreNoSmartScopes() {
        assertTrue(SmartScope.parse("patient/Spaceship.read").isEmpty());
        assertTrue(SmartScope.parse("admin/Patient.read").isEmpty());
        assertTrue(SmartScope.parse("openid").isEmpty());
        assertTrue(SmartScope.parse("patient/Patient.").isEmpty());
    }

    @Test
    void aBroaderScopeCoversANarrowerOneOfTheSameContext() {
        SmartScope all = SmartScope.parse("system/*.rs").orElseThrow();
        assertTrue(all.covers(SmartScope.parse("system/Patient.r").orElseThrow()));
        assertTrue(all.covers(SmartScope.parse("system/Observation.read").orElseThrow()));
        assertFalse(all.covers(SmartScope.parse("system/Patient.c").orElseThrow()));
        assertFalse(all.covers(SmartScope.parse("patient/Patient.r").orElseThrow()));
        SmartScope labs = SmartScope.parse("patient/Observation.rs?category=laboratory").orElseThrow();
        assertFalse(labs.covers(SmartScope.parse("patient/Observation.rs").orElseThrow()), "a query narrows what is covered");
    }

    @Test
    void intersectionIsWhatBothAllow() {
        SmartScope granted = SmartScope.parse("system/*.rs").orElseThrow();
        assertEquals("system/Patient.rs", SmartScope.parse("system/Patient.read").orElseThrow().intersect(granted).orElseThrow().text());
        assertEquals("system/Patient.r", SmartScope.parse("system/Patient.cr").orElseThrow().intersect(granted).orElseThrow().text());
        assertTrue(SmartScope.parse("system/Patient.cu").orElseThrow().intersect(granted).isEmpty());
        assertTrue(SmartScope.parse("patient/Patient.rs").orElseThrow().intersect(granted).isEmpty(), "another context");
        assertEquals("patient/Observation.rs?category=laboratory", SmartScope.parse("patient/*.rs").orElseThrow()
                .intersect(SmartScope.parse("patient/Observation.rs?category=laboratory").orElseThrow()).orElseThrow().text());
    }
}
