package org.bastion.it;

import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * $validate and validation on write, through HTTP: the R4 base definitions (cardinality, invariants,
 * required bindings), a profile from a package an admin loaded, unknown profiles and hostile
 * packages refused with the reason, writes refused with 422 and the issues' FHIRPath while the
 * setting asks for it; the honest writes still stored.
 */
abstract class ValidationContract extends OAuthClientSupport {

    static final String PROFILE = "http://example.org/fhir/StructureDefinition/bastion-it-patient";
    private final Browser browser = new Browser();

    HttpResponse<String> admin(String method, String path, String json) {
        return browser.json(method, baseUrl() + "/admin/api" + path, json, "Authorization", "Bearer " + adminToken());
    }

    String token(String scope) {
        return Tokens.sign(Tokens.claims(baseUrl()).claim("scope", scope).build(), TestSigningKey.get());
    }

    HttpResponse<String> fhir(String method, String path, String body) {
        return fhir(token("system/*.*"), method, path, body);
    }

    HttpResponse<String> fhir(String token, String method, String path, String body) {
        return browser.fhirRequest(method, fhirBase() + path, body, "Authorization", "Bearer " + token);
    }

    HttpResponse<String> upload(byte[] body) {
        return browser.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/api/packages"))
                .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The issues of an OperationOutcome with this severity, each as "diagnostics @ expression". */
    static java.util.List<String> issues(HttpResponse<String> response, String severity) {
        java.util.List<String> found = new java.util.ArrayList<>();
        for (Object issue : (JSONArray) Browser.json(response).get("issue")) {
            JSONObject i = (JSONObject) issue;
            if (severity.equals(i.get("severity"))) {
                found.add(i.get("diagnostics") + " @ " + i.get("expression"));
            }
        }
        return found;
    }

    static String manifest(String name, String fhirVersion) {
        return "{\"name\":\"" + name + "\",\"version\":\"1.0.0\",\"fhirVersions\":[\"" + fhirVersion + "\"]}";
    }

    static String profile() {
        return "{\"resourceType\":\"StructureDefinition\",\"id\":\"bastion-it-patient\",\"url\":\"" + PROFILE + "\",\"version\":\"1.0.0\","
                + "\"name\":\"BastionItPatient\",\"status\":\"active\",\"fhirVersion\":\"4.0.1\",\"kind\":\"resource\",\"abstract\":false,"
                + "\"type\":\"Patient\",\"baseDefinition\":\"http://hl7.org/fhir/StructureDefinition/Patient\",\"derivation\":\"constraint\","
                + "\"differential\":{\"element\":[{\"id\":\"Patient\",\"path\":\"Patient\"},"
                + "{\"id\":\"Patient.birthDate\",\"path\":\"Patient.birthDate\",\"min\":1}]}}";
    }

    @AfterEach
    void validationOff() {
        assertEquals(200, admin("PUT", "/settings", "{\"validation_on_write\":\"off\"}").statusCode());
    }

    @Test
    void validateReportsWhatTheR4DefinitionsRequireWithItsFhirPath() {
        HttpResponse<String> valid = fhir("POST", "/Patient/$validate", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Valid\"}]}");
        assertEquals(200, valid.statusCode(), valid.body());
        assertTrue(issues(valid, "error").isEmpty(), valid.body());
        assertTrue(valid.body().contains("No errors"), valid.body());

        HttpResponse<String> noCode = fhir("POST", "/Observation/$validate", "{\"resourceType\":\"Observation\",\"status\":\"final\"}");
        assertEquals(200, noCode.statusCode(), noCode.body());
        assertTrue(issues(noCode, "error").stream().anyMatch(i -> i.contains("Observation.code")), "cardinality: " + noCode.body());

        HttpResponse<String> contact = fhir("POST", "/Patient/$validate", "{\"resourceType\":\"Patient\",\"contact\":[{\"gender\":\"male\"}]}");
        assertTrue(issues(contact, "error").stream().anyMatch(i -> i.contains("pat-1") && i.contains("Patient.contact")), "invariant: " + contact.body());

        HttpResponse<String> status = fhir("POST", "/Condition/$validate", "{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/x\"},"
                + "\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"flying\"}]}}");
        assertTrue(issues(status, "error").stream().anyMatch(i -> i.contains("flying") && i.contains("Condition.clinicalStatus")),
                "a required binding to a code system the server knows: " + status.body());

        HttpResponse<String> loinc = fhir("POST", "/Observation/$validate", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"2339-0\"}]}}");
        assertTrue(issues(loinc, "error").isEmpty(), "a code system without a terminology server behind it is not an error: " + loinc.body());

        HttpResponse<String> parameters = fhir("POST", "/Observation/$validate", "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"mode\",\"valueCode\":\"create\"},{\"name\":\"resource\",\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\"}}]}");
        assertEquals(200, parameters.statusCode(), parameters.body());
        assertTrue(issues(parameters, "error").stream().anyMatch(i -> i.contains("Observation.code")), parameters.body());
    }

    @Test
    void badValidateRequestsAreRefusedWithTheReason() {
        HttpResponse<String> unknown = fhir("POST", "/Patient/$validate?profile=" + enc("http://example.org/no-such-profile"),
                "{\"resourceType\":\"Patient\"}");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("no-such-profile") && unknown.body().contains("not known"), unknown.body());
        assertEquals(400, fhir("POST", "/Patient/$validate?mode=sideways", "{\"resourceType\":\"Patient\"}").statusCode());
        assertEquals(400, fhir("POST", "/Patient/$validate", "{\"resourceType\":\"Observation\",\"status\":\"final\"}").statusCode(),
                "an Observation is not a Patient");
        assertEquals(400, fhir("POST", "/Patient/$validate", "{\"resourceType\":\"Patient\",\"flavour\":\"x\"}").statusCode(),
                "an unknown element is refused by the strict parser");
        assertEquals(404, fhir("POST", "/Nonsense/$validate", "{\"resourceType\":\"Patient\"}").statusCode());
        HttpResponse<String> noScope = fhir(token("system/Observation.rs"), "POST", "/Patient/$validate", "{\"resourceType\":\"Patient\"}");
        assertEquals(403, noScope.statusCode(), "validating a Patient takes a scope that creates Patients: " + noScope.body());
        assertTrue(noScope.body().contains("Patient.c"), noScope.body());
    }

    @Test
    void aStoredResourceIsValidatedAsTheTokenMayReadIt() {
        HttpResponse<String> created = fhir("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Stored\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) Browser.json(created).get("id");
        HttpResponse<String> stored = fhir("GET", "/Patient/" + id + "/$validate", null);
        assertEquals(200, stored.statusCode(), stored.body());
        assertTrue(issues(stored, "error").isEmpty(), stored.body());
        HttpResponse<String> delete = fhir("POST", "/Patient/" + id + "/$validate?mode=delete", null);
        assertEquals(200, delete.statusCode(), delete.body());
        assertTrue(delete.body().contains("prevents deleting"), delete.body());
        HttpResponse<String> update = fhir("POST", "/Patient/" + id + "/$validate?mode=update", "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"contact\":[{\"gender\":\"male\"}]}");
        assertTrue(issues(update, "error").stream().anyMatch(i -> i.contains("pat-1")), update.body());
        assertEquals(404, fhir("GET", "/Patient/no-such-" + UUID.randomUUID().toString().substring(0, 8) + "/$validate", null).statusCode());
        String other = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "patient/*.rs").claim("patient", "someone-else").build(), TestSigningKey.get());
        assertEquals(404, fhir(other, "GET", "/Patient/" + id + "/$validate", null).statusCode(), "outside the token's reach, as if absent");
    }

    @Test
    void aLoadedPackagesProfileValidatesAndWritesAreRefusedWhileTheSettingAsks() throws IOException {
        String name = "bastion.it.profiles" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package.json", manifest(name, "4.0.1"));
        files.put("StructureDefinition-bastion-it-patient.json", profile());
        files.put("example-patient.json", "{\"resourceType\":\"Patient\",\"id\":\"example\"}");
        HttpResponse<String> loaded = upload(tgz(files));
        assertEquals(201, loaded.statusCode(), loaded.body());
        assertEquals(1, ((Number) Browser.json(loaded).get("resources")).intValue(), loaded.body());
        assertEquals(1, ((Number) Browser.json(loaded).get("skipped")).intValue(), loaded.body());
        assertTrue(admin("GET", "/packages", null).body().contains(name));
        try {
            HttpResponse<String> missing = fhir("POST", "/Patient/$validate?profile=" + enc(PROFILE), "{\"resourceType\":\"Patient\"}");
            assertEquals(200, missing.statusCode(), missing.body());
            assertTrue(issues(missing, "error").stream().anyMatch(i -> i.contains("Patient.birthDate")), "the profile's rule: " + missing.body());
            HttpResponse<String> fine = fhir("POST", "/Patient/$validate?profile=" + enc(PROFILE), "{\"resourceType\":\"Patient\",\"birthDate\":\"1970-01-01\"}");
            assertTrue(issues(fine, "error").isEmpty(), fine.body());

            String declaring = "{\"resourceType\":\"Patient\",\"meta\":{\"profile\":[\"" + PROFILE + "\"]},\"name\":[{\"family\":\"Declared\"}]}";
            assertEquals(201, fhir("POST", "/Patient", declaring).statusCode(), "validation on write is off by default");
            assertEquals(200, admin("PUT", "/settings", "{\"validation_on_write\":\"profiles\"}").statusCode());
            HttpResponse<String> refused = fhir("POST", "/Patient", declaring);
            assertEquals(422, refused.statusCode(), refused.body());
            assertTrue(issues(refused, "error").stream().anyMatch(i -> i.contains("Patient.birthDate") && !i.endsWith("@ null")), refused.body());
            assertEquals(201, fhir("POST", "/Patient", declaring.replace("\"name\"", "\"birthDate\":\"1980-02-03\",\"name\"")).statusCode(),
                    "a resource that meets its profile is stored");
            assertEquals(201, fhir("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\"}").statusCode(),
                    "profiles: a resource that declares none is not validated");
            HttpResponse<String> undeclarable = fhir("POST", "/Patient", declaring.replace(PROFILE, "http://example.org/unknown"));
            assertEquals(422, undeclarable.statusCode(), undeclarable.body());
            assertTrue(undeclarable.body().contains("does not know"), undeclarable.body());

            assertEquals(200, admin("PUT", "/settings", "{\"validation_on_write\":\"Observation\"}").statusCode());
            HttpResponse<String> noCode = fhir("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\"}");
            assertEquals(422, noCode.statusCode(), noCode.body());
            assertTrue(noCode.body().contains("Observation.code"), noCode.body());
            HttpResponse<String> batch = fhir("POST", "", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":"
                    + "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"InATransaction\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},{\"resource\":{\"resourceType\":"
                    + "\"Observation\",\"status\":\"final\"},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}");
            assertEquals(422, batch.statusCode(), "a transaction with an invalid entry stores nothing: " + batch.body());
            assertTrue(batch.body().contains("Observation.code"), "the entry's issues come along: " + batch.body());
            assertTrue(fhir("GET", "/Patient?family=InATransaction&_summary=count", null).body().contains("\"total\":0"),
                    "the valid entry of the failed transaction was not stored");
            HttpResponse<String> badSetting = admin("PUT", "/settings", "{\"validation_on_write\":\"Patient,Nonsense\"}");
            assertEquals(400, badSetting.statusCode(), badSetting.body());
        } finally {
            assertEquals(204, admin("DELETE", "/packages/" + name, null).statusCode());
        }
        HttpResponse<String> gone = fhir("POST", "/Patient/$validate?profile=" + enc(PROFILE), "{\"resourceType\":\"Patient\"}");
        assertEquals(400, gone.statusCode(), "a removed package's profile is unknown again: " + gone.body());
        assertEquals(404, admin("DELETE", "/packages/" + name, null).statusCode());
    }

    @Test
    void whatIsNotAnR4PackageIsRefusedWithTheReason() throws IOException {
        Object[][] refused = {
                {"not gzip".getBytes(StandardCharsets.UTF_8), "gzip"},
                {gzip("this is no tar archive, just text that goes on and on".repeat(20).getBytes(StandardCharsets.UTF_8)), "package"},
                {tgz(Map.of("StructureDefinition-x.json", profile())), "package.json"},
                {tgz(Map.of("package.json", manifest("bastion.it.r5", "5.0.0"), "StructureDefinition-x.json", profile())), "FHIR R4"},
                {tgz(Map.of("package.json", manifest("hl7.fhir.r4.core", "4.0.1"), "StructureDefinition-x.json", profile())), "built in"},
                {tgz(Map.of("package.json", manifest("bastion.it.empty", "4.0.1"), "Patient-x.json", "{\"resourceType\":\"Patient\"}")), "nothing to validate"},
                {tgz(Map.of("package.json", manifest("bastion.it.broken", "4.0.1"), "StructureDefinition-x.json", "{\"resourceType\":")), "not valid JSON"},
                {tgz(Map.of("package.json", "{\"version\":\"1.0.0\"}", "StructureDefinition-x.json", profile())), "name"},
        };
        for (Object[] attempt : refused) {
            HttpResponse<String> response = upload((byte[]) attempt[0]);
            assertEquals(400, response.statusCode(), response.body());
            assertEquals("package", Browser.json(response).get("field"), response.body());
            assertTrue(response.body().contains((String) attempt[1]), attempt[1] + " -> " + response.body());
        }
        byte[] bomb = tgz(Map.of("package.json", manifest("bastion.it.bomb", "4.0.1"), "StructureDefinition-big.json", " ".repeat(17 * 1024 * 1024)));
        HttpResponse<String> big = upload(bomb);
        assertEquals(400, big.statusCode(), "17 MB of spaces in one file compress to little; the file is still refused: " + big.body());
        assertTrue(big.body().contains("larger than"), big.body());
        assertFalse(admin("GET", "/packages", null).body().contains("bastion.it.bomb"));
        HttpResponse<String> user = browser.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/api/packages"))
                .header("Authorization", "Bearer " + token("system/*.*")).header("Content-Type", "application/gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(tgz(Map.of("package.json", manifest("bastion.it.x", "4.0.1"))))).build());
        assertEquals(403, user.statusCode(), "a FHIR token does not load packages: " + user.body());
    }

    /** A package's .tgz: each file under package/, ustar headers, as npm pack makes it. */
    static byte[] tgz(Map<String, String> files) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, String> file : files.entrySet()) {
            byte[] body = file.getValue().getBytes(StandardCharsets.UTF_8);
            byte[] header = new byte[512];
            put(header, 0, "package/" + file.getKey());
            put(header, 100, "0000644");
            put(header, 108, "0000000");
            put(header, 116, "0000000");
            put(header, 124, String.format("%011o", body.length));
            put(header, 136, "00000000000");
            header[156] = '0';
            put(header, 257, "ustar");
            put(header, 263, "00");
            java.util.Arrays.fill(header, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format("%06o", sum));
            tar.write(header);
            tar.write(body);
            tar.write(new byte[(512 - body.length % 512) % 512]);
        }
        tar.write(new byte[1024]);
        return gzip(tar.toByteArray());
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }
}
