package org.bastion.it;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SMART scopes decide every FHIR interaction. Two patients, A and B, each with observations;
 * every token below must see exactly what its scopes and launch context allow, everywhere in a
 * response (reads, searches, includes, $everything, history, bundles), and each refusal names
 * the scope that was missing.
 */
abstract class SmartScopesContract {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final String CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    private final Browser browser = new Browser();

    /** Ids of this test's data, fresh for each test so other tests' data never interferes. */
    String a;
    String b;
    String practitioner;
    String aLab;
    String aVital;
    String bLab;

    abstract String baseUrl();

    /** Whether the server under test was started with BASTION_ACCESS_TOKEN_QUERY=true. */
    abstract boolean accessTokenQueryEnabled();

    String fhirBase() {
        return baseUrl() + "/fhir/r4";
    }

    String token(String scope, String patient, String fhirUser) {
        var claims = Tokens.claims(baseUrl()).claim("scope", scope);
        if (patient != null) {
            claims.claim("patient", patient);
        }
        if (fhirUser != null) {
            claims.claim("fhirUser", fhirUser);
        }
        return Tokens.sign(claims.build(), TestSigningKey.get());
    }

    String system() {
        return token("system/*.*", null, null);
    }

    HttpResponse<String> send(String token, String method, String path, String body) {
        return browser.fhir(fhirBase(), token, method, path, body);
    }

    HttpResponse<String> put(String path, String body) {
        HttpResponse<String> response = send(system(), "PUT", path, body);
        assertTrue(response.statusCode() == 201 || response.statusCode() == 200, response.body());
        return response;
    }

    static String observation(String id, String patient, String category) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":\""
                + CATEGORY + "\",\"code\":\"" + category + "\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\""
                + ("laboratory".equals(category) ? "2345-7" : "8867-4") + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
    }

    @BeforeEach
    void twoPatientsWithObservations() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        a = "scope-a-" + run;
        b = "scope-b-" + run;
        practitioner = "scope-dr-" + run;
        aLab = a + "-lab";
        aVital = a + "-vital";
        bLab = b + "-lab";
        put("/Patient/" + a, "{\"resourceType\":\"Patient\",\"id\":\"" + a + "\",\"name\":[{\"family\":\"Alpha" + run + "\"}]}");
        put("/Patient/" + b, "{\"resourceType\":\"Patient\",\"id\":\"" + b + "\",\"name\":[{\"family\":\"Beta" + run + "\"}]}");
        put("/Practitioner/" + practitioner, "{\"resourceType\":\"Practitioner\",\"id\":\"" + practitioner + "\"}");
        put("/Observation/" + aLab, observation(aLab, a, "laboratory"));
        put("/Observation/" + aVital, observation(aVital, a, "vital-signs"));
        put("/Observation/" + bLab, observation(bLab, b, "laboratory"));
    }

    Bundle bundle(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    /** Type/id of every resource in a Bundle, entries and all. */
    static Set<String> ids(Bundle bundle) {
        Set<String> ids = new TreeSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() != null && !"OperationOutcome".equals(entry.getResource().fhirType())) {
                Resource resource = entry.getResource();
                ids.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
            }
        }
        return ids;
    }

    void assertForbidden(HttpResponse<String> response, String missingScope) {
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.body().contains("OperationOutcome") && response.body().contains("forbidden"), response.body());
        assertTrue(response.body().contains(missingScope), "the refusal names " + missingScope + ": " + response.body());
    }

    @Test
    void patientScopesSeeOnlyTheirPatientsCompartmentEverywhere() {
        String token = token("launch/patient patient/*.read", a, null);
        assertEquals(200, send(token, "GET", "/Patient/" + a, null).statusCode());
        HttpResponse<String> other = send(token, "GET", "/Patient/" + b, null);
        HttpResponse<String> nothing = send(token, "GET", "/Patient/no-such-" + b, null);
        assertEquals(404, other.statusCode(), "another patient is not there for this token: " + other.body());
        assertEquals(nothing.body().replace("no-such-", ""), other.body(), "outside the compartment reads exactly like nothing there");
        assertEquals(404, send(token, "GET", "/Observation/" + bLab, null).statusCode());
        assertEquals(404, send(token, "GET", "/Observation/" + bLab + "/_history/1", null).statusCode());
        assertEquals(404, send(token, "GET", "/Observation/" + bLab + "/_history", null).statusCode());

        assertEquals(Set.of("Observation/" + aLab, "Observation/" + aVital),
                ids(bundle(send(token, "GET", "/Observation?_count=500&code=http://loinc.org|2345-7,http://loinc.org|8867-4&_lastUpdated=gt2000", null)))
                        .stream().filter(id -> id.contains(a) || id.contains(b)).collect(java.util.stream.Collectors.toSet()));
        assertEquals(Set.of(), ids(bundle(send(token, "GET", "/Observation?subject=Patient/" + b, null))), "searches are narrowed silently");
        assertEquals(Set.of("Patient/" + a), ids(bundle(send(token, "GET", "/Patient?_id=" + a + "," + b, null))));
        assertEquals(Set.of("Patient/" + a), ids(bundle(send(token, "GET", "/Patient?_count=500", null))));
        assertEquals(Set.of("Patient/" + a, "Observation/" + aLab, "Observation/" + aVital),
                ids(bundle(send(token, "GET", "/Patient?_id=" + a + "," + b + "&_revinclude=Observation:subject", null))));
        assertEquals(Set.of("Patient/" + a, "Observation/" + aLab),
                ids(bundle(send(token, "GET", "/Observation?_id=" + aLab + "," + bLab + "&_include=Observation:subject", null))));
        assertEquals(Set.of("Patient/" + a, "Observation/" + aLab, "Observation/" + aVital),
                ids(bundle(send(token, "GET", "/Patient/" + a + "/$everything", null))));
        assertEquals(404, send(token, "GET", "/Patient/" + b + "/$everything", null).statusCode());
        HttpResponse<String> otherCompartment = send(token, "GET", "/Patient/" + b + "/Observation", null);
        HttpResponse<String> noCompartment = send(token, "GET", "/Patient/no-such-" + b + "/Observation", null);
        assertEquals(404, otherCompartment.statusCode(), "another patient's compartment is not there for this token: " + otherCompartment.body());
        assertEquals(noCompartment.body().replace("no-such-", ""), otherCompartment.body(), "and reads exactly like one that does not exist");
        Set<String> history = ids(bundle(send(token, "GET", "/Observation/_history?_count=500", null)));
        assertTrue(history.contains("Observation/" + aLab), history.toString());
        assertFalse(history.contains("Observation/" + bLab), "history shows only what the token may read: " + history);
        Set<String> everyType = ids(bundle(send(token, "GET", "/_history?_count=500", null)));
        assertFalse(everyType.contains("Patient/" + b) || everyType.contains("Observation/" + bLab), everyType.toString());

        // a Practitioner references no patient: a patient/ token cannot tell it is theirs, so it is out of reach
        assertEquals(404, send(token, "GET", "/Practitioner/" + practitioner, null).statusCode());
        assertForbidden(send(token, "POST", "/Observation", observation("x", a, "laboratory").replace("\"id\":\"x\",", "")), "patient/Observation.c");
        Bundle batch = bundle(send(token, "POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + a + "\"}},{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + b + "\"}}]}"));
        assertEquals("200 OK", batch.getEntry().get(0).getResponse().getStatus());
        assertTrue(batch.getEntry().get(1).getResponse().getStatus().startsWith("404"), batch.getEntry().get(1).getResponse().getStatus());
    }

    @Test
    void v2GranularScopesNarrowByTheirQuery() {
        String token = token("patient/Observation.rs?category=" + CATEGORY + "|laboratory", a, null);
        assertEquals(Set.of("Observation/" + aLab), ids(bundle(send(token, "GET", "/Observation?_id=" + aLab + "," + aVital + "," + bLab, null))));
        assertEquals(200, send(token, "GET", "/Observation/" + aLab, null).statusCode());
        assertEquals(404, send(token, "GET", "/Observation/" + aVital, null).statusCode(), "a vital sign is outside the granted category");
        assertForbidden(send(token, "GET", "/Patient/" + a, null), "patient/Patient.r");
        assertForbidden(send(token, "GET", "/Condition", null), "patient/Condition.s");
    }

    @Test
    void writesNeverLeaveTheCompartment() {
        String token = token("patient/Observation.cu", a, null);
        String code = "w" + UUID.randomUUID().toString().substring(0, 8);
        String mine = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"urn:it\",\"code\":\"" + code
                + "\"}]},\"subject\":{\"reference\":\"Patient/" + a + "\"}}";
        assertEquals(201, send(token, "POST", "/Observation", mine).statusCode());
        HttpResponse<String> theirs = send(token, "POST", "/Observation", mine.replace("Patient/" + a, "Patient/" + b));
        assertEquals(403, theirs.statusCode(), theirs.body());
        assertTrue(theirs.body().contains("Patient/" + a) && theirs.body().contains("nothing was stored"), theirs.body());
        assertEquals(1, bundle(send(system(), "GET", "/Observation?code=urn:it|" + code, null)).getEntry().size(), "the refused write left nothing");

        HttpResponse<String> moved = send(token, "PUT", "/Observation/" + aLab, observation(aLab, b, "laboratory"));
        assertEquals(403, moved.statusCode(), "an update may not move a resource out of the compartment: " + moved.body());
        Observation still = FHIR.newJsonParser().parseResource(Observation.class, send(system(), "GET", "/Observation/" + aLab, null).body());
        assertEquals("Patient/" + a, still.getSubject().getReference());
        assertEquals("1", still.getMeta().getVersionId(), "the refused update is not a version");
        assertEquals(403, send(token, "PUT", "/Observation/" + bLab, observation(bLab, a, "laboratory")).statusCode(),
                "another patient's resource cannot be taken over either");

        assertForbidden(send(token, "GET", "/Observation/" + aLab, null), "patient/Observation.r");
        assertForbidden(send(token, "GET", "/Observation", null), "patient/Observation.s");
        assertForbidden(send(token, "DELETE", "/Observation/" + aLab, null), "patient/Observation.d");
        assertEquals(404, send(token("patient/Observation.d", a, null), "DELETE", "/Observation/" + bLab, null).statusCode());
        assertEquals(200, send(system(), "GET", "/Observation/" + bLab, null).statusCode(), "B's observation survived");
    }

    /** A user made by the admin API with the given extra JSON fields: their id. */
    String user(String fields) {
        HttpResponse<String> created = browser.postJson(baseUrl() + "/admin/api/users", "{\"username\":\"scopes-" + UUID.randomUUID()
                + "\",\"password\":\"correct horse battery\"" + fields + "}", "Authorization", "Bearer " + OAuthClientSupport.adminToken(baseUrl()));
        assertEquals(201, created.statusCode(), created.body());
        return (String) Browser.json(created).get("id");
    }

    /** A token of an admin-created client for a user (as a SMART app would hold one), with the given scopes. */
    String userToken(String userId, String scope) {
        return Tokens.sign(Tokens.claims(baseUrl()).subject(userId).claim("scope", scope).build(),
                TestSigningKey.get());
    }

    @Test
    void userScopesReachWhatTheUserReaches() {
        String asPatient = userToken(user(",\"fhirUser\":\"Patient/" + a + "\""), "user/*.read");
        assertEquals(Set.of("Patient/" + a), ids(bundle(send(asPatient, "GET", "/Patient?_id=" + a + "," + b, null))));
        assertEquals(404, send(asPatient, "GET", "/Observation/" + bLab, null).statusCode());
        String granted = userToken(user(",\"fhirUser\":\"Practitioner/" + practitioner + "\",\"all_patients\":true"), "user/*.read");
        assertEquals(Set.of("Patient/" + a, "Patient/" + b), ids(bundle(send(granted, "GET", "/Patient?_id=" + a + "," + b, null))));
        assertForbidden(send(granted, "DELETE", "/Patient/" + a, null), "user/Patient.d");
        String listed = userToken(user(",\"fhirUser\":\"Practitioner/" + practitioner + "\",\"patients\":[\"" + b + "\"]"), "user/*.read");
        assertEquals(Set.of("Patient/" + b), ids(bundle(send(listed, "GET", "/Patient?_id=" + a + "," + b, null))));
        assertEquals(Set.of("Observation/" + bLab), ids(bundle(send(listed, "GET", "/Observation?_id=" + aLab + "," + bLab, null))));
    }

    @Test
    void systemScopesAndMissingScopes() {
        String patients = token("system/Patient.read", null, null);
        assertEquals(Set.of("Patient/" + a, "Patient/" + b), ids(bundle(send(patients, "GET", "/Patient?_id=" + a + "," + b, null))));
        assertForbidden(send(patients, "GET", "/Observation?subject=" + a, null), "system/Observation.s");
        assertEquals(Set.of("Patient/" + a), ids(bundle(send(patients, "GET", "/Patient?_id=" + a + "&_revinclude=Observation:subject", null))),
                "included resources the token may not read are left out");
        assertForbidden(send(token("openid fhirUser", null, null), "GET", "/Patient/" + a, null), "no SMART resource scopes");
        assertForbidden(send(token("patient/*.read", null, null), "GET", "/Patient/" + a, null), "no patient claim");
    }

    @Test
    void bundlesAreCheckedEntryByEntry() {
        String token = token("system/Patient.write", null, null);
        String family = "Tx" + UUID.randomUUID().toString().substring(0, 8);
        String entries = "[{\"fullUrl\":\"urn:uuid:" + UUID.randomUUID() + "\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family
                + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":" + observation("tx", a, "laboratory")
                .replace("\"id\":\"tx\",", "") + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]";
        assertForbidden(send(token, "POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":" + entries + "}"),
                "system/Observation.c");
        assertEquals(0, bundle(send(system(), "GET", "/Patient?family:exact=" + family, null)).getEntry().size(), "transaction: all or nothing");
        Bundle batch = bundle(send(token, "POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":" + entries + "}"));
        assertEquals("201 Created", batch.getEntry().get(0).getResponse().getStatus());
        assertTrue(batch.getEntry().get(1).getResponse().getStatus().startsWith("403"), batch.getEntry().get(1).getResponse().getStatus());
        assertEquals(1, bundle(send(system(), "GET", "/Patient?family:exact=" + family, null)).getEntry().size(), "batch: one by one");
    }

    @Test
    void tokensOfUnknownClientsAndTheQueryParameter() {
        String orphan = Tokens.sign(Tokens.claims(baseUrl()).claim("client_id", "deleted-client").build(), TestSigningKey.get());
        HttpResponse<String> refused = send(orphan, "GET", "/Patient/" + a, null);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("no longer registered"), refused.headers().toString());

        HttpResponse<String> byQuery = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient/" + a + "?access_token=" + system())).build());
        if (accessTokenQueryEnabled()) {
            assertEquals(200, byQuery.statusCode(), byQuery.body());
        } else {
            assertEquals(401, byQuery.statusCode());
            assertTrue(byQuery.body().contains("BASTION_ACCESS_TOKEN_QUERY"), byQuery.body());
        }
    }
}
