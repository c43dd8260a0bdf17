package org.bastion.it;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FHIR Bulk Data export and import through HTTP, as a backend service does it: a private_key_jwt client with
 * system/*.rs kicks off, polls the status URL, reads the manifest and downloads the NDJSON files.
 * Line counts equal the searches' totals; _since, _type, _typeFilter, the patient and group levels
 * and a granular scope narrow the export; tokens without system/ read scopes, user tokens, other
 * clients and bad parameters are refused with a reason; DELETE cancels. An import writes the good
 * lines of an upload (ids kept, a transaction Bundle's references resolved) and reports each bad
 * line with its number; exported files imported back change no total.
 */
abstract class BulkDataContract extends OAuthClientSupport {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    /** Synthea records loaded once per server (the demo data set's). */
    private static final Map<String, List<String>> LOADED = new ConcurrentHashMap<>();

    final Browser browser = new Browser();
    private String backendToken;

    /**
     * Two Synthea patients' records (of the demo data set): their Patient ids. A server loading the
     * demo data (BASTION_DEMO=true) has them once its load is over; another gets them loaded here.
     */
    List<String> synthea() {
        return LOADED.computeIfAbsent(baseUrl(), base -> {
            String system = Tokens.sign(Tokens.claims(base).build(), TestSigningKey.get());
            quiet();
            List<String> ids = new java.util.ArrayList<>();
            for (String[] name : new String[][]{{"Johnson", "Dan", "Dan_Johnson.json.gz"}, {"Doyle", "Adria", "Adria_Doyle.json.gz"}}) {
                Bundle found = FHIR.newJsonParser().parseResource(Bundle.class,
                        fhir(system, "GET", "/Patient?family=" + name[0] + "&given=" + name[1], null).body());
                if (found.getEntry().isEmpty()) {
                    // the organizations and practitioners first: the patients' records refer to them conditionally
                    for (String shared : List.of("hospitalInformation.json.gz", "practitionerInformation.json.gz", name[2])) {
                        HttpResponse<String> response = fhir(system, "POST", "", gunzip(Path.of("..", "ejb-module", "src", "main", "resources", "demo", shared)));
                        assertEquals(200, response.statusCode(), response.body());
                    }
                    found = FHIR.newJsonParser().parseResource(Bundle.class,
                            fhir(system, "GET", "/Patient?family=" + name[0] + "&given=" + name[1], null).body());
                }
                ids.add(found.getEntry().get(0).getResource().getIdElement().getIdPart());
            }
            return ids;
        });
    }

    /**
     * Waits until nothing is being written: the demo data's load at start ends with its clients
     * (patient-browser); without it, until the observations' count holds still for six seconds.
     */
    private void quiet() {
        long last = -1;
        int still = 0;
        for (int i = 0; i < 60 && still < 2; i++) {
            if (browser.json("GET", baseUrl() + "/admin/api/clients/patient-browser", null, "Authorization", "Bearer " + adminToken()).statusCode() == 200) {
                return;
            }
            long now = total("Observation");
            still = now == last ? still + 1 : 0;
            last = now;
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String gunzip(Path path) {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void backendService() throws Exception {
        synthea();
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        Registered client = keyClient(browser, key, "client_credentials");
        HttpResponse<String> token = browser.postForm(issuer() + "/token", clientAssertion(assertion(key, client.id(), client.id(),
                issuer() + "/token", UUID.randomUUID().toString()), "grant_type", "client_credentials", "scope", "system/*.rs"));
        assertEquals(200, token.statusCode(), token.body());
        backendToken = (String) json(token).get("access_token");
    }

    HttpResponse<String> fhir(String token, String method, String path, String body, String... headers) {
        return browser.fhirRequest(method, path.startsWith("http") ? path : fhirBase() + path, body,
                Browser.headers("Authorization", "Bearer " + token, headers));
    }

    HttpResponse<String> kickOff(String token, String path) {
        return fhir(token, "GET", path, null, "Prefer", "respond-async", "Accept", "application/fhir+json");
    }

    /** Kicks off, then polls until the manifest: the manifest, with its status URL under "status". */
    JSONObject export(String token, String path) throws InterruptedException {
        HttpResponse<String> accepted = kickOff(token, path);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        assertTrue(status.startsWith(fhirBase() + "/"), status);
        return await(token, status);
    }

    JSONObject await(String token, String status) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> polled = fhir(token, "GET", status, null);
            if (polled.statusCode() == 200) {
                JSONObject manifest = json(polled);
                manifest.put("status", status);
                assertTrue(polled.headers().firstValue("Expires").isPresent(), "a manifest says when its files go");
                return manifest;
            }
            assertEquals(202, polled.statusCode(), polled.body());
            assertTrue(polled.headers().firstValue("X-Progress").isPresent(), "X-Progress while running");
            assertTrue(polled.headers().firstValue("Retry-After").isPresent(), "Retry-After while running");
            Thread.sleep(200);
        }
        throw new AssertionError("export " + status + " did not complete in 2 minutes");
    }

    /** The manifest's output counts by type, each checked against its file: lines, their type, no id twice. */
    Map<String, Long> outputs(String token, JSONObject manifest) {
        assertEquals(Boolean.TRUE, manifest.get("requiresAccessToken"));
        assertNotNull(manifest.get("transactionTime"));
        Map<String, Long> counts = new HashMap<>();
        for (Object o : (JSONArray) manifest.get("output")) {
            JSONObject file = (JSONObject) o;
            String type = (String) file.get("type");
            HttpResponse<String> download = fhir(token, "GET", (String) file.get("url"), null);
            assertEquals(200, download.statusCode(), download.body());
            assertEquals("application/fhir+ndjson", download.headers().firstValue("Content-Type").orElse(""));
            String[] lines = download.body().split("\n");
            Set<String> ids = new HashSet<>();
            for (String line : lines) {
                Resource resource = (Resource) FHIR.newJsonParser().parseResource(line);
                assertEquals(type, resource.fhirType());
                assertTrue(ids.add(resource.getIdElement().getIdPart()), "each resource once: " + resource.getIdElement());
            }
            assertEquals(((Number) file.get("count")).longValue(), lines.length, "the manifest's count is the file's lines");
            counts.put(type, (long) lines.length);
        }
        return counts;
    }

    long total(String query) {
        HttpResponse<String> response = fhir(Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()), "GET",
                "/" + query + (query.contains("?") ? "&" : "?") + "_summary=count", null);
        assertEquals(200, response.statusCode(), response.body());
        return ((Number) json(response).get("total")).longValue();
    }

    // --- the honest paths --------------------------------------------------------------------------

    @Test
    void aBackendServiceExportsEveryResourceOfTheTypesAndTheLinesMatchTheSearches() throws Exception {
        JSONObject manifest = export(backendToken, "/$export?_type=Patient,Observation,Encounter,Condition,Organization&_outputFormat="
                + enc("application/fhir+ndjson"));
        assertEquals(fhirBase() + "/$export?_type=Patient,Observation,Encounter,Condition,Organization&_outputFormat="
                + enc("application/fhir+ndjson"), manifest.get("request"));
        Map<String, Long> counts = outputs(backendToken, manifest);
        assertEquals(Set.of("Patient", "Observation", "Encounter", "Condition", "Organization"), counts.keySet());
        for (Map.Entry<String, Long> count : counts.entrySet()) {
            assertEquals(total(count.getKey()), count.getValue(), count.getKey() + ": the file holds what a search finds");
        }
        assertTrue(counts.get("Observation") > 100, "the Synthea records' observations are there: " + counts);
        assertEquals(List.of(), manifest.get("error"));
        assertNull(manifest.get("deleted"), "deleted is reported only with _since");
    }

    @Test
    void patientAndGroupExportsHoldTheirPatientsCompartments() throws Exception {
        String patient = synthea().get(0);
        HttpResponse<String> group = fhir(Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()), "POST", "/Group",
                "{\"resourceType\":\"Group\",\"type\":\"person\",\"actual\":true,\"member\":[{\"entity\":{\"reference\":\"Patient/" + patient
                        + "\"}},{\"entity\":{\"reference\":\"Patient/" + synthea().get(1) + "\"},\"inactive\":true}]}");
        assertEquals(201, group.statusCode(), group.body());
        String groupId = json(group).getAsString("id");
        long observations = total("Observation?subject=Patient/" + patient);
        long encounters = total("Encounter?subject=Patient/" + patient);
        assertTrue(observations > 10, "the member has observations");

        Map<String, Long> byGroup = outputs(backendToken, export(backendToken, "/Group/" + groupId + "/$export?_type=Patient,Observation,Encounter"));
        assertEquals(Map.of("Patient", 1L, "Observation", observations, "Encounter", encounters), byGroup, "the active member's compartment only");

        HttpResponse<String> accepted = fhir(backendToken, "POST", "/Patient/$export", "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"_type\",\"valueString\":\"Patient,Observation\"},{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/"
                + patient + "\"}}]}", "Prefer", "respond-async");
        assertEquals(202, accepted.statusCode(), accepted.body());
        Map<String, Long> byPatient = outputs(backendToken, await(backendToken, accepted.headers().firstValue("Content-Location").orElseThrow()));
        assertEquals(Map.of("Patient", 1L, "Observation", observations), byPatient);

        HttpResponse<String> outside = kickOff(backendToken, "/Patient/$export?_type=Patient,Organization");
        assertEquals(400, outside.statusCode(), outside.body());
        assertTrue(outside.body().contains("not in the Patient compartment"), outside.body());
        HttpResponse<String> lenient = fhir(backendToken, "GET", "/Patient/$export?_type=Patient,Organization", null, "Prefer", "respond-async; handling=lenient");
        assertEquals(202, lenient.statusCode(), lenient.body());
        JSONObject manifest = await(backendToken, lenient.headers().firstValue("Content-Location").orElseThrow());
        assertEquals(Map.of("Patient", total("Patient")), outputs(backendToken, manifest), "every patient; Organization left out");
        assertEquals(1, ((JSONArray) manifest.get("error")).size(), manifest.toJSONString());
    }

    @Test
    void sinceTypeFilterAndElementsNarrowTheExport() throws Exception {
        String system = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).minusMillis(1);
        Thread.sleep(5);
        HttpResponse<String> created = fhir(system, "POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Since\"}],\"birthDate\":\"1990-01-01\"}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> doomed = fhir(system, "POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Doomed\"}]}");
        String doomedId = json(doomed).getAsString("id");
        assertEquals(204, fhir(system, "DELETE", "/Patient/" + doomedId, null).statusCode());

        JSONObject manifest = export(backendToken, "/$export?_type=Patient,Observation&_since=" + enc(before.toString()));
        assertEquals(Map.of("Patient", 1L), outputs(backendToken, manifest), "only what changed since");
        JSONArray deleted = (JSONArray) manifest.get("deleted");
        assertEquals(1, deleted.size(), manifest.toJSONString());
        String deletedLines = fhir(backendToken, "GET", (String) ((JSONObject) deleted.get(0)).get("url"), null).body();
        assertTrue(deletedLines.contains("\"method\":\"DELETE\"") && deletedLines.contains("Patient/" + doomedId), deletedLines);

        String code = "8302-2"; // body height, in every Synthea record
        Map<String, Long> filtered = outputs(backendToken, export(backendToken, "/$export?_type=Observation&_typeFilter="
                + enc("Observation?code=http://loinc.org|" + code) + "&_typeFilter=" + enc("Observation?code=http://loinc.org|29463-7")));
        long height = total("Observation?code=http://loinc.org%7C" + code);
        long weight = total("Observation?code=http://loinc.org%7C29463-7");
        assertTrue(height > 0 && weight > 0);
        assertEquals(Map.of("Observation", height + weight), filtered, "a resource matching any of the type's filters");

        JSONObject elements = export(backendToken, "/$export?_type=Patient&_elements=birthDate");
        String line = fhir(backendToken, "GET", (String) ((JSONObject) ((JSONArray) elements.get("output")).get(0)).get("url"), null).body().split("\n")[0];
        assertTrue(line.contains("birthDate") && !line.contains("\"name\"") && line.contains("SUBSETTED"), line);
    }

    @Test
    void aGranularScopeExportsOnlyWhatItsQueryMatches() throws Exception {
        String laboratory = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "system/Observation.rs?category=laboratory").build(), TestSigningKey.get());
        Map<String, Long> counts = outputs(laboratory, export(laboratory, "/$export"));
        assertEquals(Map.of("Observation", total("Observation?category=laboratory")), counts, "no other type, no other category");
        assertTrue(counts.get("Observation") < total("Observation"));
    }

    // --- the refusals ------------------------------------------------------------------------------

    @Test
    void withoutSystemReadScopesOrAsAUserThereIsNoExport() {
        String patientScopes = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "patient/*.rs").claim("patient", synthea().get(0)).build(), TestSigningKey.get());
        HttpResponse<String> refused = kickOff(patientScopes, "/$export");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("system/ read scopes"), refused.body());

        String writeOnly = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "system/*.cud").build(), TestSigningKey.get());
        assertEquals(403, kickOff(writeOnly, "/$export").statusCode());

        String patientsOnly = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "system/Patient.rs").build(), TestSigningKey.get());
        HttpResponse<String> observation = kickOff(patientsOnly, "/$export?_type=Observation");
        assertEquals(403, observation.statusCode(), observation.body());
        assertTrue(observation.body().contains("system/Observation.r"), observation.body());

        String admin = adminToken();
        HttpResponse<String> user = kickOff(admin, "/$export");
        assertTrue(user.statusCode() == 401 || user.statusCode() == 403, user.statusCode() + " " + user.body());
        assertFalse(user.body().isBlank(), "a refusal says why");
    }

    @Test
    void badParametersAreRefusedWithTheReasonOrLeftOutWhenLenient() throws Exception {
        HttpResponse<String> synchronous = fhir(backendToken, "GET", "/$export", null);
        assertEquals(400, synchronous.statusCode());
        assertTrue(synchronous.body().contains("Prefer: respond-async"), synchronous.body());
        for (String query : List.of("_outputFormat=" + enc("text/csv"), "_type=Foo", "_since=yesterday", "_typeFilter=" + enc("Observation?nonsense=1"),
                "_typeFilter=" + enc("Observation?_sort=date"), "_elements=" + enc("name;drop"), "_count=5")) {
            HttpResponse<String> refused = kickOff(backendToken, "/$export?" + query);
            assertEquals(400, refused.statusCode(), query + ": " + refused.body());
            assertTrue(refused.body().contains("OperationOutcome") && refused.body().contains("diagnostics"), refused.body());
        }
        assertEquals(404, kickOff(backendToken, "/Group/no-such-group/$export").statusCode());

        HttpResponse<String> lenient = fhir(backendToken, "GET", "/$export?_type=Patient,Foo", null, "Prefer", "respond-async, handling=lenient");
        assertEquals(202, lenient.statusCode(), lenient.body());
        JSONObject manifest = await(backendToken, lenient.headers().firstValue("Content-Location").orElseThrow());
        JSONArray errors = (JSONArray) manifest.get("error");
        assertEquals(1, errors.size(), manifest.toJSONString());
        String error = fhir(backendToken, "GET", (String) ((JSONObject) errors.get(0)).get("url"), null).body();
        assertTrue(error.contains("OperationOutcome") && error.contains("Foo"), error);
    }

    @Test
    void onlyTheClientThatStartedAnExportSeesItAndDeleteCancelsIt() throws Exception {
        JSONObject manifest = export(backendToken, "/$export?_type=Patient");
        String status = manifest.getAsString("status");
        String file = ((JSONObject) ((JSONArray) manifest.get("output")).get(0)).getAsString("url");
        String other = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        for (String[] attempt : new String[][]{{"GET", status}, {"GET", file}, {"DELETE", status}}) {
            HttpResponse<String> refused = fhir(other, attempt[0], attempt[1], null);
            assertEquals(404, refused.statusCode(), attempt[0] + " " + attempt[1] + " by another client: " + refused.body());
            assertTrue(refused.body().contains("another client"), refused.body());
        }
        assertEquals(401, browser.send(HttpRequest.newBuilder(URI.create(file)).build()).statusCode(), "files need the access token");
        assertEquals(200, fhir(backendToken, "GET", file, null).statusCode(), "the owner still has it");
        int traversal = fhir(backendToken, "GET", status + "/..%2F..%2Fetc%2Fpasswd", null).statusCode();
        assertTrue(traversal == 404 || traversal == 400, "no path out of the job's folder: " + traversal);

        assertEquals(202, fhir(backendToken, "DELETE", status, null).statusCode());
        assertEquals(404, fhir(backendToken, "GET", status, null).statusCode(), "a cancelled export is gone");
        assertEquals(404, fhir(backendToken, "GET", file, null).statusCode(), "and so are its files");
        assertEquals(404, fhir(backendToken, "DELETE", status, null).statusCode());

        HttpResponse<String> running = kickOff(backendToken, "/$export");
        String runningStatus = running.headers().firstValue("Content-Location").orElseThrow();
        assertEquals(202, fhir(backendToken, "DELETE", runningStatus, null).statusCode(), "a running export is cancelled too");
        assertEquals(404, fhir(backendToken, "GET", runningStatus, null).statusCode());
    }

    @Test
    void theCapabilityStatementAndSmartConfigurationAdvertiseTheExport() {
        String metadata = browser.get(fhirBase() + "/metadata", "Accept", "application/fhir+json").body();
        assertTrue(metadata.contains("http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"), "instantiates bulk-data");
        assertTrue(metadata.contains("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"), "group-level export");
        JSONObject smart = json(browser.get(fhirBase() + "/.well-known/smart-configuration"));
        assertTrue(((JSONArray) ((JSONObject) smart.get("bulk_data")).get("export")).contains(fhirBase() + "/$export"), smart.toJSONString());
    }

    // --- import --------------------------------------------------------------------------------------

    /** Uploads a file as the backend service: its url, for an import's input. */
    String upload(String token, String body) {
        HttpResponse<String> uploaded = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/$import-upload")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/fhir+ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        String url = json(uploaded).getAsString("url");
        assertEquals(url, uploaded.headers().firstValue("Location").orElseThrow());
        return url;
    }

    static String importParameters(String format, String... typeAndUrl) {
        StringBuilder inputs = new StringBuilder();
        for (int i = 0; i < typeAndUrl.length; i += 2) {
            inputs.append(",{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueString\":\"").append(typeAndUrl[i])
                    .append("\"},{\"name\":\"url\",\"valueUri\":\"").append(typeAndUrl[i + 1]).append("\"}]}");
        }
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"inputFormat\",\"valueString\":\"" + format + "\"}" + inputs + "]}";
    }

    HttpResponse<String> startImport(String token, String parameters) {
        return fhir(token, "POST", "/$import", parameters, "Prefer", "respond-async");
    }

    JSONObject importAndWait(String token, String parameters) throws InterruptedException {
        HttpResponse<String> accepted = startImport(token, parameters);
        assertEquals(202, accepted.statusCode(), accepted.body());
        return await(token, accepted.headers().firstValue("Content-Location").orElseThrow());
    }

    static Map<String, Long> imported(JSONObject manifest) {
        Map<String, Long> counts = new HashMap<>();
        for (Object o : (JSONArray) manifest.get("output")) {
            counts.put(((JSONObject) o).getAsString("type"), ((Number) ((JSONObject) o).get("count")).longValue());
        }
        return counts;
    }

    String writerToken() {
        return Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "system/*.cruds").build(), TestSigningKey.get());
    }

    @Test
    void anImportWritesTheGoodLinesKeepsTheirIdsAndReportsEachBadLineWithItsNumber() throws Exception {
        String token = writerToken();
        String kept = "imp-" + UUID.randomUUID().toString().substring(0, 8);
        String family = "Imported" + UUID.randomUUID().toString().substring(0, 6);
        String ndjson = String.join("\n",
                "{\"resourceType\":\"Patient\",\"id\":\"" + kept + "\",\"name\":[{\"family\":\"" + family + "\"}]}",
                "not json at all",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}",
                "",
                "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}",
                "{\"resourceType\":\"Patient\",\"birthDate\":\"1990-13-45\",\"name\":[{\"family\":\"" + family + "\"}]}",
                "{\"resourceType\":\"Patient\",\"id\":\"bad id!\",\"name\":[{\"family\":\"" + family + "\"}]}") + "\n";
        JSONObject manifest = importAndWait(token, importParameters("application/fhir+ndjson", "Patient", upload(token, ndjson)));
        assertEquals(Map.of("Patient", 2L), imported(manifest), manifest.toJSONString());
        assertEquals(2, total("Patient?family=" + family), "the good lines, once each");
        assertEquals(200, fhir(token, "GET", "/Patient/" + kept, null).statusCode(), "a resource keeps the id it came with");

        JSONObject errors = (JSONObject) ((JSONArray) manifest.get("error")).get(0);
        assertEquals(4L, ((Number) errors.get("count")).longValue());
        String lines = fhir(token, "GET", errors.getAsString("url"), null).body();
        for (String line : List.of("Line 2 ", "Line 5 ", "Line 6 ", "Line 7 ")) {
            assertTrue(lines.contains(line), line + " is reported: " + lines);
        }
        assertTrue(lines.contains("where the input's type is Patient") && lines.contains("1990-13-45"), lines);
        assertFalse(lines.contains("Line 1 ") || lines.contains("Line 3 ") || lines.contains("Line 4 "), lines);
    }

    /**
     * DELETE on a running import's status URL cancels it at once (the job's row is locked only at a
     * chunk's end, not while its lines are written), and the chunk under way is rolled back: whole
     * chunks of 1 000 lines stay, nothing is written after.
     */
    @Test
    void aRunningImportIsCancelledAtOnceAndKeepsWholeChunksOnly() throws Exception {
        String token = writerToken();
        String family = "Cancelled" + UUID.randomUUID().toString().substring(0, 6);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            lines.append("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"").append(family).append("\",\"given\":[\"G").append(i).append("\"]}]}\n");
        }
        HttpResponse<String> accepted = startImport(token, importParameters("application/fhir+ndjson", "Patient", upload(token, lines.toString())));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (total("Patient?family=" + family) == 0) {
            assertTrue(Instant.now().isBefore(deadline), "the import wrote nothing in 2 minutes");
            Thread.sleep(100);
        }
        HttpResponse<String> cancelled = fhir(token, "DELETE", status, null);
        assertEquals(202, cancelled.statusCode(), cancelled.body());
        assertEquals(404, fhir(token, "GET", status, null).statusCode(), "a cancelled import is gone");
        long written = total("Patient?family=" + family);
        Thread.sleep(3000);
        assertEquals(written, total("Patient?family=" + family), "nothing is written after the cancel");
        assertTrue(written < 30_000 && written % 1000 == 0, "whole chunks only, and not all of them: " + written);
    }

    @Test
    void aTransactionBundleIsImportedWholeWithItsReferencesResolved() throws Exception {
        String token = writerToken();
        String family = "Bundled" + UUID.randomUUID().toString().substring(0, 6);
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:7f0c1d2e-0000-4000-8000-000000000001\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                + family + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"" + family + "\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:7f0c1d2e-0000-4000-8000-000000000001\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        JSONObject manifest = importAndWait(token, importParameters("application/fhir+json", "Bundle", upload(token, bundle)));
        assertEquals(Map.of("Patient", 1L, "Observation", 1L), imported(manifest), manifest.toJSONString());
        Bundle patients = FHIR.newJsonParser().parseResource(Bundle.class, fhir(token, "GET", "/Patient?family=" + family, null).body());
        String id = patients.getEntryFirstRep().getResource().getIdElement().getIdPart();
        assertEquals(1, total("Observation?subject=Patient/" + id), "the Observation points at the imported Patient");
    }

    @Test
    void exportedFilesImportedBackChangeNoTotal() throws Exception {
        String patient = synthea().get(1);
        HttpResponse<String> accepted = fhir(backendToken, "POST", "/Patient/$export", "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"_type\",\"valueString\":\"Patient,Encounter,Observation\"},{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/"
                + patient + "\"}}]}", "Prefer", "respond-async");
        assertEquals(202, accepted.statusCode(), accepted.body());
        JSONObject exported = await(backendToken, accepted.headers().firstValue("Content-Location").orElseThrow());
        Map<String, Long> before = Map.of("Patient", total("Patient"), "Encounter", total("Encounter"), "Observation", total("Observation"));
        String token = writerToken();
        List<String> inputs = new java.util.ArrayList<>();
        Map<String, Long> counts = new HashMap<>();
        for (Object o : (JSONArray) exported.get("output")) {
            JSONObject file = (JSONObject) o;
            inputs.add(file.getAsString("type"));
            inputs.add(upload(token, fhir(backendToken, "GET", file.getAsString("url"), null).body()));
            counts.put(file.getAsString("type"), ((Number) file.get("count")).longValue());
        }
        JSONObject manifest = importAndWait(token, importParameters("application/fhir+ndjson", inputs.toArray(String[]::new)));
        assertEquals(counts, imported(manifest), "every exported line imported");
        assertEquals(List.of(), manifest.get("error"));
        assertEquals(before, Map.of("Patient", total("Patient"), "Encounter", total("Encounter"), "Observation", total("Observation")),
                "the same ids: new versions, no new resources");
    }

    @Test
    void importsAreRefusedWithTheReasonWithoutWriteScopesOrForFilesElsewhere() throws Exception {
        String token = writerToken();
        String mine = upload(token, "{\"resourceType\":\"Patient\"}\n");
        HttpResponse<String> readOnly = startImport(backendToken, importParameters("application/fhir+ndjson", "Patient", mine));
        assertEquals(403, readOnly.statusCode(), readOnly.body());
        assertTrue(readOnly.body().contains("system/ write scopes"), readOnly.body());
        String patientsOnly = Tokens.sign(Tokens.claims(baseUrl()).claim("scope", "system/Patient.cu").build(), TestSigningKey.get());
        HttpResponse<String> observation = startImport(patientsOnly, importParameters("application/fhir+ndjson", "Observation", mine));
        assertEquals(403, observation.statusCode(), observation.body());

        for (String[] bad : new String[][]{
                {"Patient", "https://example.org/patients.ndjson", "does not fetch"},
                {"Patient", "http://127.0.0.1:9/x.ndjson", "does not fetch"},
                {"Patient", "file:../../etc/passwd", "BASTION_IMPORT_DIR"},
                {"Patient", fhirBase() + "/$import-upload/" + UUID.randomUUID(), "No upload"},
                {"Nonsense", mine, "not a resource type"},
                {"AuditEvent", mine, "not a resource type"}}) {
            HttpResponse<String> refused = startImport(token, importParameters("application/fhir+ndjson", bad[0], bad[1]));
            assertTrue(refused.statusCode() == 400 || refused.statusCode() == 404, bad[1] + ": " + refused.statusCode() + " " + refused.body());
            assertTrue(refused.body().contains(bad[2]), bad[1] + ": " + refused.body());
        }
        HttpResponse<String> format = startImport(token, importParameters("text/csv", "Patient", mine));
        assertEquals(400, format.statusCode(), format.body());
        assertEquals(400, fhir(token, "POST", "/$import", importParameters("application/fhir+ndjson", "Patient", mine)).statusCode(),
                "without Prefer: respond-async");

        // another backend service can neither import this client's upload nor see its import
        HttpResponse<String> created = browser.postJson(baseUrl() + "/admin/api/clients", "{\"client_name\":\"IT other importer\","
                + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.cruds\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, created.statusCode(), created.body());
        String otherId = json(created).getAsString("client_id");
        String other = Tokens.sign(Tokens.claims(baseUrl()).subject(otherId).claim("client_id", otherId).build(), TestSigningKey.get());
        HttpResponse<String> stolen = startImport(other, importParameters("application/fhir+ndjson", "Patient", mine));
        assertEquals(404, stolen.statusCode(), stolen.body());
        assertTrue(stolen.body().contains("another client"), stolen.body());
        HttpResponse<String> accepted = startImport(token, importParameters("application/fhir+ndjson", "Patient", mine));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        assertEquals(404, fhir(backendToken, "GET", status, null).statusCode(), "another client's import is not found");
        await(token, status);

        HttpResponse<String> empty = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/$import-upload")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(400, empty.statusCode(), empty.body());
    }

    // --- the admin API (the console's) -------------------------------------------------------------

    HttpResponse<String> adminCall(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/api" + path)).header("Authorization", "Bearer " + adminToken())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return browser.send(request.build());
    }

    @Test
    void anAdminImportsAFileSeesEveryJobWithItsProgressReadsTheErrorsAndCancels() throws Exception {
        String family = "AdminImport" + UUID.randomUUID().toString().substring(0, 6);
        HttpResponse<String> started = adminCall("POST", "/bulk-jobs/imports?type=Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                + family + "\"}]}\n{\"resourceType\":\"Patient\",\"birthDate\":\"nope\"}\n{\"resourceType\":\"Patient\",\"name\":[{\"family\":\""
                + family + "\"}]}\n", "application/fhir+ndjson");
        assertEquals(202, started.statusCode(), started.body());
        String id = json(started).getAsString("id");
        JSONObject job = json(started);
        for (int i = 0; i < 300 && !"completed".equals(job.getAsString("status")); i++) {
            Thread.sleep(200);
            job = json(adminCall("GET", "/bulk-jobs/" + id, null, null));
            assertFalse("failed".equals(job.getAsString("status")), job.toJSONString());
        }
        assertEquals("completed", job.getAsString("status"), job.toJSONString());
        assertEquals(2L, ((Number) job.get("resources")).longValue(), job.toJSONString());
        assertEquals(1L, ((Number) job.get("errors")).longValue());
        assertEquals(1.0, ((Number) job.get("done")).doubleValue());
        assertEquals(2, total("Patient?family=" + family), "the admin's import wrote the good lines");
        HttpResponse<String> errors = adminCall("GET", "/bulk-jobs/" + id + "/errors.ndjson", null, null);
        assertEquals(200, errors.statusCode(), errors.body());
        assertTrue(errors.body().contains("Line 2 ") && errors.body().contains("nope"), errors.body());

        HttpResponse<String> imports = adminCall("GET", "/bulk-jobs?kind=import", null, null);
        assertTrue(imports.body().contains(id), "the import is listed");
        String export = kickOff(backendToken, "/$export?_type=Patient").headers().firstValue("Content-Location").orElseThrow();
        String exportId = export.substring(export.lastIndexOf('/') + 1);
        HttpResponse<String> exports = adminCall("GET", "/bulk-jobs?kind=export", null, null);
        assertTrue(exports.body().contains(exportId) && exports.body().contains("\"progress\""), "every client's exports are listed: " + exports.body());
        assertEquals(404, adminCall("GET", "/bulk-jobs/" + exportId + "/Patient.ndjson", null, null).statusCode(),
                "an admin lists exports but is not served their resources");

        assertEquals(204, adminCall("DELETE", "/bulk-jobs/" + exportId, null, null).statusCode());
        assertEquals(404, fhir(backendToken, "GET", export, null).statusCode(), "the client's export is cancelled");
        assertEquals(404, adminCall("DELETE", "/bulk-jobs/" + exportId, null, null).statusCode());

        HttpResponse<String> unknownType = adminCall("POST", "/bulk-jobs/imports?type=Nonsense", "{}", "application/fhir+ndjson");
        assertEquals(400, unknownType.statusCode(), unknownType.body());
        assertTrue(unknownType.body().contains("error_description"), unknownType.body());
        assertEquals(400, adminCall("POST", "/bulk-jobs/imports?type=Patient", "", "application/fhir+ndjson").statusCode(), "an empty file");
        HttpResponse<String> notAdmin = browser.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/api/bulk-jobs"))
                .header("Authorization", "Bearer " + backendToken).build());
        assertTrue(notAdmin.statusCode() == 401 || notAdmin.statusCode() == 403, "a backend service is no admin: " + notAdmin.statusCode());
    }
}
