package org.bastion.it;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FHIR repository through HTTP: CRUD, versions, history, strict parsing and search over the index tables. */
abstract class FhirContract {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    private final Browser browser = new Browser();

    abstract String baseUrl();

    String fhirBase() {
        return baseUrl() + "/fhir/r4";
    }

    String token() {
        return Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        return browser.fhirRequest(method, path.startsWith("http") ? path : fhirBase() + path, body,
                Browser.headers("Authorization", "Bearer " + token(), headers));
    }

    String createPatient(String family, String given, String birthDate, String mrn) {
        HttpResponse<String> created = send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family
                + "\",\"given\":[\"" + given + "\"]}],\"birthDate\":\"" + birthDate + "\",\"gender\":\"female\","
                + "\"identifier\":[{\"system\":\"urn:it:mrn\",\"value\":\"" + mrn + "\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        return FHIR.newJsonParser().parseResource(Patient.class, created.body()).getIdElement().getIdPart();
    }

    Bundle search(String query) {
        HttpResponse<String> response = send("GET", "/" + query, null);
        assertEquals(200, response.statusCode(), response.body());
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body());
    }

    static String unique() {
        return "It" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void createReadUpdateVreadHistoryAndDelete() {
        HttpResponse<String> created = send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Tanaka\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        String location = created.headers().firstValue("Location").orElseThrow();
        Patient patient = FHIR.newJsonParser().parseResource(Patient.class, created.body());
        String id = patient.getIdElement().getIdPart();
        assertEquals(fhirBase() + "/Patient/" + id + "/_history/1", location);
        assertEquals("W/\"1\"", created.headers().firstValue("ETag").orElse(""));
        assertNotNull(created.headers().firstValue("Last-Modified").orElse(null));

        HttpResponse<String> updated = send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"name\":[{\"family\":\"Suzuki\"}]}", "If-Match", "W/\"1\"");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("W/\"2\"", updated.headers().firstValue("ETag").orElse(""));
        HttpResponse<String> stale = send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"name\":[{\"family\":\"Lost\"}]}", "If-Match", "W/\"1\"");
        assertEquals(412, stale.statusCode(), "a stale If-Match never overwrites: " + stale.body());

        assertTrue(send("GET", "/Patient/" + id, null).body().contains("Suzuki"));
        assertTrue(send("GET", "/Patient/" + id + "/_history/1", null).body().contains("Tanaka"));
        Bundle history = FHIR.newJsonParser().parseResource(Bundle.class, send("GET", "/Patient/" + id + "/_history", null).body());
        assertEquals(Bundle.BundleType.HISTORY, history.getType());
        assertEquals(2, history.getEntry().size());

        assertEquals(204, send("DELETE", "/Patient/" + id, null).statusCode());
        assertEquals(410, send("GET", "/Patient/" + id, null).statusCode());
        assertEquals(200, send("GET", "/Patient/" + id + "/_history/2", null).statusCode(), "history survives a delete");
        assertEquals(404, send("GET", "/Patient/no-such-id", null).statusCode());
    }

    /** A JSON read is answered with the JSON as stored; it is what the parser writes (a vread parses and writes it). */
    @Test
    void aReadAnswersTheStoredJsonAndShapedOrXmlReadsAreWritten() {
        String id = "stored-" + UUID.randomUUID();
        assertEquals(201, send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"name\":[{\"family\":\"Stored\"}],\"birthDate\":\"1980-02-03\"}").statusCode());
        HttpResponse<String> read = send("GET", "/Patient/" + id, null);
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"), read.headers().toString());
        assertEquals("W/\"1\"", read.headers().firstValue("ETag").orElse(null));
        assertTrue(read.headers().firstValue("Last-Modified").isPresent());
        HttpResponse<String> vread = send("GET", "/Patient/" + id + "/_history/1", null);
        assertEquals(vread.body(), read.body());
        assertTrue(read.body().contains("\"versionId\":\"1\"") && read.body().contains("\"id\":\"" + id + "\""), read.body());
        HttpResponse<String> xml = send("GET", "/Patient/" + id + "?_format=xml", null);
        assertTrue(xml.body().startsWith("<Patient"), xml.body());
        HttpResponse<String> elements = send("GET", "/Patient/" + id + "?_elements=name", null);
        assertTrue(elements.body().contains("Stored") && !elements.body().contains("1980-02-03"), elements.body());
        assertTrue(send("GET", "/Patient/" + id + "?_pretty=true", null).body().contains("\n"));
    }

    @Test
    void updateWithAClientIdCreatesAndReturnMinimalHasNoBody() {
        String id = "it-" + UUID.randomUUID();
        HttpResponse<String> created = send("PUT", "/Patient/" + id, "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}",
                "Prefer", "return=minimal");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().isEmpty(), created.body());
        assertEquals(200, send("GET", "/Patient/" + id, null).statusCode());
    }

    @Test
    void concurrentWritesNeverLoseAnUpdate() throws Exception {
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            // the same new id created by eight clients at once: each gets 201/200, or a 409 it can retry; never a 500
            String id = "race-" + UUID.randomUUID();
            java.util.List<java.util.concurrent.Future<HttpResponse<String>>> creates = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",\"name\":[{\"family\":\"Writer" + i + "\"}]}";
                creates.add(pool.submit(() -> send("PUT", "/Patient/" + id, body)));
            }
            int stored = 0;
            for (java.util.concurrent.Future<HttpResponse<String>> f : creates) {
                HttpResponse<String> r = f.get();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 201 || r.statusCode() == 409, r.statusCode() + " " + r.body());
                if (r.statusCode() == 409) {
                    assertTrue(r.body().contains("\"conflict\""), r.body());
                } else {
                    stored++;
                }
            }
            Bundle history = search("Patient/" + id + "/_history");
            assertEquals(stored, history.getEntry().size(), "every answered write is one version in history");

            // eight updates of version 1 with If-Match: exactly one wins, the others see a stale version
            String other = createPatient("Race", "Anna", "1990-01-01", unique());
            java.util.List<java.util.concurrent.Future<HttpResponse<String>>> updates = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"resourceType\":\"Patient\",\"id\":\"" + other + "\",\"name\":[{\"family\":\"Winner" + i + "\"}]}";
                updates.add(pool.submit(() -> send("PUT", "/Patient/" + other, body, "If-Match", "W/\"1\"")));
            }
            int won = 0;
            for (java.util.concurrent.Future<HttpResponse<String>> f : updates) {
                HttpResponse<String> r = f.get();
                assertTrue(r.statusCode() == 200 || r.statusCode() == 412 || r.statusCode() == 409, r.statusCode() + " " + r.body());
                won += r.statusCode() == 200 ? 1 : 0;
            }
            assertEquals(1, won, "only one update of version 1 may succeed");
            assertEquals(2, search("Patient/" + other + "/_history").getEntry().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void conditionalCreateFindsTheExistingResource() {
        String mrn = unique();
        String id = createPatient(unique(), "Aiko", "1990-01-01", mrn);
        HttpResponse<String> again = send("POST", "/Patient", "{\"resourceType\":\"Patient\"}", "If-None-Exist", "identifier=urn:it:mrn|" + mrn);
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains(id));
    }

    @Test
    void malformedOrMismatchedBodiesAreA400OperationOutcome() {
        HttpResponse<String> unknownElement = send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"colour\":\"blue\"}");
        assertEquals(400, unknownElement.statusCode());
        assertTrue(FHIR.newJsonParser().parseResource(OperationOutcome.class, unknownElement.body()).getIssueFirstRep()
                .getDiagnostics().contains("colour"));
        assertEquals(400, send("POST", "/Observation", "{\"resourceType\":\"Patient\"}").statusCode());
        assertEquals(400, send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"yesterday\"}").statusCode());
        assertEquals(400, send("POST", "/Patient", "not json at all").statusCode());
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"&x;\"/></name></Patient>";
        HttpResponse<String> entity = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient"))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/fhir+xml")
                .POST(HttpRequest.BodyPublishers.ofString(xxe)).build());
        assertEquals(400, entity.statusCode(), "external entities are refused: " + entity.body());
        assertTrue(!entity.body().contains("root:"), "nothing of the file leaks");
    }

    @Test
    void xmlInAndOut() {
        String family = unique();
        HttpResponse<String> created = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient"))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/fhir+xml")
                .header("Accept", "application/fhir+xml")
                .POST(HttpRequest.BodyPublishers.ofString("<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\""
                        + family + "\"/></name></Patient>")).build());
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().startsWith("<Patient"), created.body());
        assertEquals(1, search("Patient?family:exact=" + family).getEntry().size());
    }

    @Test
    void stringTokenAndDateSearchesFollowTheSpec() {
        String family = unique();
        String mrn = unique();
        createPatient(family, "Émilie", "1975-06-15", mrn);
        createPatient(family, "Akira", "1982-11-02", unique());

        assertEquals(2, search("Patient?family=" + family.toLowerCase()).getEntry().size(), "case-insensitive prefix");
        assertEquals(1, search("Patient?given=emilie&family=" + family).getEntry().size(), "accent-insensitive, AND");
        assertEquals(0, search("Patient?family:exact=" + family.toLowerCase()).getEntry().size(), ":exact is case-sensitive");
        assertEquals(2, search("Patient?family:contains=" + family.substring(3)).getEntry().size());
        assertEquals(1, search("Patient?identifier=urn:it:mrn|" + mrn).getEntry().size());
        assertEquals(1, search("Patient?identifier=" + mrn).getEntry().size());
        assertEquals(0, search("Patient?identifier=urn:other|" + mrn).getEntry().size());
        assertEquals(1, search("Patient?family=" + family + "&birthdate=1975").getEntry().size(), "a year matches the whole year");
        assertEquals(1, search("Patient?family=" + family + "&birthdate=1975-06").getEntry().size());
        assertEquals(1, search("Patient?family=" + family + "&birthdate=gt1980-01-01").getEntry().size());
        assertEquals(2, search("Patient?family=" + family + "&birthdate=ge1975-06-15").getEntry().size());
        assertEquals(1, search("Patient?family=" + family + "&birthdate=lt1980").getEntry().size());
        assertEquals(2, search("Patient?family=" + family + "&given=emilie,akira").getEntry().size(), "OR by comma");
    }

    @Test
    void identifierTypesReferenceIdentifiersAndApproximateValues() {
        String value = unique();
        String v2 = "http://terminology.hl7.org/CodeSystem/v2-0203";
        HttpResponse<String> patient = send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"birthDate\":\"1990-06-15\","
                + "\"identifier\":[{\"type\":{\"coding\":[{\"system\":\"" + v2 + "\",\"code\":\"MR\"}]},\"system\":\"urn:it:x\",\"value\":\"" + value + "\"}]}");
        assertEquals(201, patient.statusCode(), patient.body());
        assertEquals(1, search("Patient?identifier:of-type=" + v2 + "|MR|" + value).getEntry().size());
        assertEquals(0, search("Patient?identifier:of-type=" + v2 + "|DL|" + value).getEntry().size(), "another identifier type");
        HttpResponse<String> malformed = send("GET", "/Patient?identifier:of-type=MR", null);
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(malformed.body().contains("[type system]|[type code]|[value]"), malformed.body());

        // ap: within 10 % of the value; for a date, 10 % of the time between it and now
        assertEquals(1, search("Patient?identifier=" + value + "&birthdate=ap1990-06-01").getEntry().size());
        assertEquals(0, search("Patient?identifier=" + value + "&birthdate=ap1980-01-01").getEntry().size());

        String code = unique();
        HttpResponse<String> observation = send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"urn:it:code\",\"code\":\"" + code + "\"}]},"
                + "\"subject\":{\"identifier\":{\"system\":\"urn:it:x\",\"value\":\"" + value + "\"}},"
                + "\"valueQuantity\":{\"value\":100,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mg\"}}");
        assertEquals(201, observation.statusCode(), observation.body());
        assertEquals(1, search("Observation?subject:identifier=urn:it:x|" + value).getEntry().size(), "reference by identifier");
        assertEquals(0, search("Observation?subject:identifier=urn:it:y|" + value).getEntry().size());
        assertEquals(1, search("Observation?code=" + code + "&value-quantity=ap105").getEntry().size(), "100 is within 10 % of 105");
        assertEquals(0, search("Observation?code=" + code + "&value-quantity=ap120").getEntry().size(), "100 is not within 10 % of 120");
        assertEquals(0, search("Observation?code=" + code + "&value-quantity=105").getEntry().size());
    }

    @Test
    void referencesTotalsPagingAndUnknownParameters() {
        String patient = createPatient(unique(), "Ren", "2001-01-01", unique());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> observation = send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\",\"display\":\"Heart rate\"}]},\"subject\":{\"reference\":\"Patient/"
                    + patient + "\"},\"effectiveDateTime\":\"2024-03-0" + (i + 1) + "T10:00:00Z\",\"valueQuantity\":{\"value\":"
                    + (70 + i) + ",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}");
            assertEquals(201, observation.statusCode(), observation.body());
        }
        assertEquals(3, search("Observation?subject=Patient/" + patient).getEntry().size());
        assertEquals(3, search("Observation?patient=" + patient + "&code=http://loinc.org|8867-4").getEntry().size());
        assertEquals(3, search("Observation?patient=" + patient + "&code:text=heart").getEntry().size(), ":text matches the coding's display");
        assertEquals(0, search("Observation?patient=" + patient + "&code:text=glucose").getEntry().size());
        assertEquals(1, search("Observation?patient=" + patient + "&date=2024-03-02").getEntry().size());
        assertEquals(2, search("Observation?patient=" + patient + "&value-quantity=gt70.5").getEntry().size());

        Bundle first = search("Observation?patient=" + patient + "&_count=2&_total=accurate");
        assertEquals(3, first.getTotal());
        assertEquals(2, first.getEntry().size());
        String next = first.getLink("next").getUrl();
        Bundle second = FHIR.newJsonParser().parseResource(Bundle.class, send("GET", next, null).body());
        assertEquals(1, second.getEntry().size());
        assertTrue(first.getEntry().stream().noneMatch(e -> e.getResource().getIdElement().getIdPart()
                .equals(second.getEntryFirstRep().getResource().getIdElement().getIdPart())), "no duplicate across pages");

        Bundle count = search("Observation?patient=" + patient + "&_summary=count");
        assertEquals(3, count.getTotal());
        assertTrue(count.getEntry().isEmpty());

        Bundle lenient = search("Observation?patient=" + patient + "&colour=blue");
        assertEquals(3, lenient.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH).count());
        assertTrue(lenient.getEntry().stream().anyMatch(e -> e.getResource() instanceof OperationOutcome), "ignored parameters are reported");
        assertEquals(400, send("GET", "/Observation?colour=blue", null, "Prefer", "handling=strict").statusCode());
        assertEquals(400, send("GET", "/Observation?date=notadate", null).statusCode());

        HttpResponse<String> byPost = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Observation/_search"))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("patient=" + patient)).build());
        assertEquals(200, byPost.statusCode(), byPost.body());
        assertEquals(3, FHIR.newJsonParser().parseResource(Bundle.class, byPost.body()).getEntry().size());
    }

    @Test
    void transactionResolvesUrnUuidReferencesAndIsAllOrNothing() {
        String family = unique();
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:11111111-1111-1111-1111-111111111111\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"name\":[{\"family\":\"" + family + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"weight\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:11111111-1111-1111-1111-111111111111\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> response = send("POST", "", transaction);
        assertEquals(200, response.statusCode(), response.body());
        Bundle result = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertEquals(Bundle.BundleType.TRANSACTIONRESPONSE, result.getType());
        assertEquals("201 Created", result.getEntry().get(0).getResponse().getStatus());
        String patientId = result.getEntry().get(0).getResponse().getLocation().split("/")[1];
        assertEquals(1, search("Observation?subject=Patient/" + patientId).getEntry().size(), "the urn:uuid reference now points at the patient");

        // An update by id may carry a urn:uuid fullUrl too: references to it name the resource at its URL.
        String id = "put-" + family.toLowerCase(java.util.Locale.ROOT);
        String byPut = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:22222222-2222-2222-2222-222222222222\",\"resource\":{\"resourceType\":\"Patient\",\"id\":\"" + id + "\","
                + "\"name\":[{\"family\":\"" + family + "\"}]},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/" + id + "\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"height\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:22222222-2222-2222-2222-222222222222\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> put = send("POST", "", byPut);
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(1, search("Observation?subject=Patient/" + id).getEntry().size(), "the reference to the PUT's fullUrl points at Patient/" + id);

        String failing = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "Rollback\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"x\"},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/y\"}}]}";
        HttpResponse<String> failed = send("POST", "", failing);
        assertEquals(400, failed.statusCode(), failed.body());
        assertTrue(failed.body().contains("Transaction entry 1"), failed.body());
        assertEquals(0, search("Patient?family:exact=" + family + "Rollback").getEntry().size(), "nothing of a failed transaction stays");
    }

    /**
     * A loader's transaction with Prefer: return=minimal is answered with each entry's status and
     * location only; what it wrote is found by a patient's code and date searches (led by the
     * patient's own index rows), and not under another patient.
     */
    @Test
    void minimalTransactionAnswersLocationsAndItsObservationsAreFoundByPatientAndCode() {
        String family = unique();
        String code = "code-" + family.toLowerCase(java.util.Locale.ROOT);
        String transaction = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:33333333-3333-3333-3333-333333333333\",\"resource\":{\"resourceType\":\"Patient\","
                + "\"name\":[{\"family\":\"" + family + "\"}]},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"urn:it\",\"code\":\"" + code + "\"}]},"
                + "\"effectiveDateTime\":\"2021-06-01T10:00:00Z\",\"subject\":{\"reference\":\"urn:uuid:33333333-3333-3333-3333-333333333333\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"urn:it\",\"code\":\"other\"}]},"
                + "\"effectiveDateTime\":\"2022-06-01T10:00:00Z\",\"subject\":{\"reference\":\"urn:uuid:33333333-3333-3333-3333-333333333333\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";
        HttpResponse<String> response = send("POST", "", transaction, "Prefer", "return=minimal");
        assertEquals(200, response.statusCode(), response.body());
        Bundle result = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertEquals(3, result.getEntry().size());
        for (Bundle.BundleEntryComponent entry : result.getEntry()) {
            assertEquals("201 Created", entry.getResponse().getStatus());
            assertTrue(entry.getResponse().getLocation().contains("/_history/1"), entry.getResponse().getLocation());
            assertFalse(entry.hasResource(), "return=minimal: no resource in " + response.body());
        }
        String patientId = result.getEntry().get(0).getResponse().getLocation().split("/")[1];
        assertEquals(1, search("Observation?patient=" + patientId + "&code=urn:it|" + code).getEntry().size());
        assertEquals(1, search("Observation?subject=Patient/" + patientId + "&code=" + code).getEntry().size());
        assertEquals(1, search("Observation?patient=" + patientId + "&date=ge2022-01-01&date=lt2023-01-01").getEntry().size());
        assertEquals(2, search("Observation?patient=Patient/" + patientId + "&date=ge2021-01-01").getEntry().size());
        assertEquals(0, search("Observation?patient=" + patientId + "-other&code=urn:it|" + code).getEntry().size());
        assertEquals(200, send("POST", "", transaction).statusCode(), "without Prefer the answer holds the resources");
    }

    @Test
    void batchEntriesSucceedOrFailOnTheirOwn() {
        String family = unique();
        String batch = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/does-not-exist\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient?family:exact=" + family + "\"}}]}";
        HttpResponse<String> response = send("POST", "", batch);
        assertEquals(200, response.statusCode(), response.body());
        Bundle result = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertEquals("201 Created", result.getEntry().get(0).getResponse().getStatus());
        assertEquals("404", result.getEntry().get(1).getResponse().getStatus());
        assertEquals(1, ((Bundle) result.getEntry().get(2).getResource()).getEntry().size(), "the create before it is visible");
    }

    @Test
    void conditionalUpdateAndDelete() {
        String mrn = unique();
        HttpResponse<String> created = send("PUT", "/Patient?identifier=urn:it:mrn|" + mrn, "{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"urn:it:mrn\",\"value\":\"" + mrn + "\"}],\"active\":true}");
        assertEquals(201, created.statusCode(), created.body());
        HttpResponse<String> updated = send("PUT", "/Patient?identifier=urn:it:mrn|" + mrn, "{\"resourceType\":\"Patient\","
                + "\"identifier\":[{\"system\":\"urn:it:mrn\",\"value\":\"" + mrn + "\"}],\"active\":false}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("W/\"2\"", updated.headers().firstValue("ETag").orElse(""));
        assertEquals(204, send("DELETE", "/Patient?identifier=urn:it:mrn|" + mrn, null).statusCode());
        assertEquals(0, search("Patient?identifier=urn:it:mrn|" + mrn).getEntry().size());
    }

    @Test
    void capabilityStatementListsEveryResourceTypeWithItsSearchParameters() {
        HttpResponse<String> response = browser.get(fhirBase() + "/metadata");
        org.hl7.fhir.r4.model.CapabilityStatement cs = FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.CapabilityStatement.class, response.body());
        var rest = cs.getRestFirstRep();
        // every R4 type but AuditEvent, which is the server's own audit trail (read by admins at /admin/api/audit)
        assertEquals(FHIR.getResourceTypes().size() - 1, rest.getResource().size());
        assertTrue(rest.getResource().stream().noneMatch(r -> r.getType().equals("AuditEvent")));
        var patient = rest.getResource().stream().filter(r -> r.getType().equals("Patient")).findFirst().orElseThrow();
        assertTrue(patient.getSearchParam().stream().anyMatch(p -> p.getName().equals("birthdate")));
        assertTrue(patient.getInteraction().stream().anyMatch(i -> i.getCode().toCode().equals("vread")));
        assertTrue(rest.getSecurity().getExtensionByUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")
                .getExtensionByUrl("token").getValue().primitiveValue().endsWith("/oauth2/token"));
    }

    @Test
    void elementsAndSummaryShapeTheResponse() {
        String family = unique();
        String id = createPatient(family, "Yui", "1999-09-09", unique());
        String elements = send("GET", "/Patient/" + id + "?_elements=birthDate", null).body();
        assertTrue(elements.contains("birthDate") && !elements.contains(family), elements);
        Bundle searched = search("Patient?family:exact=" + family + "&_elements=name");
        assertTrue(FHIR.newJsonParser().encodeResourceToString(searched).contains(family));
    }

    String createObservation(String patient, String code, String date, int value) {
        HttpResponse<String> observation = send("POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":\"Patient/"
                + patient + "\"},\"effectiveDateTime\":\"" + date + "\",\"valueQuantity\":{\"value\":" + value
                + ",\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}");
        assertEquals(201, observation.statusCode(), observation.body());
        return FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.Observation.class, observation.body()).getIdElement().getIdPart();
    }

    @Test
    void chainedReverseChainedSortedAndIncludedSearches() {
        String family = unique();
        String ann = createPatient(family, "Ann", "1960-01-01", unique());
        String bob = createPatient(family, "Bob", "1970-01-01", unique());
        createObservation(ann, "8867-4", "2024-01-01T00:00:00Z", 60);
        createObservation(ann, "8310-5", "2024-01-02T00:00:00Z", 37);
        createObservation(bob, "8867-4", "2024-01-03T00:00:00Z", 80);

        assertEquals(2, search("Observation?subject:Patient.name=ann&subject:Patient.family=" + family).getEntry().size(), "chained");
        assertEquals(1, search("Observation?patient.given=bob&patient.family=" + family).getEntry().size(), "chain through the one target type");
        assertEquals(1, search("Patient?family=" + family + "&_has:Observation:patient:code=8310-5").getEntry().size(), "_has");

        Bundle byBirth = search("Patient?family=" + family + "&_sort=-birthdate");
        assertEquals(bob, byBirth.getEntry().get(0).getResource().getIdElement().getIdPart(), "_sort descending");
        Bundle byGiven = search("Patient?family=" + family + "&_sort=given");
        assertEquals(ann, byGiven.getEntry().get(0).getResource().getIdElement().getIdPart(), "_sort ascending");

        Bundle included = search("Observation?patient=" + ann + "&_include=Observation:subject");
        assertEquals(2, included.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH).count());
        assertEquals(1, included.getEntry().stream().filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE).count(),
                "the patient once, though two observations point at it");
        Bundle revIncluded = search("Patient?_id=" + bob + "&_revinclude=Observation:subject");
        assertEquals(2, revIncluded.getEntry().size());
        assertEquals(400, send("GET", "/Observation?subject.name=x", null).statusCode(), "subject may point at several types: ambiguous");
    }

    @Test
    void jsonPatchChangesTheCurrentVersion() {
        String id = createPatient(unique(), "Kei", "1991-01-01", unique());
        HttpResponse<String> patched = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient/" + id))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"replace\",\"path\":\"/birthDate\",\"value\":\"1992-02-02\"}]")).build());
        assertEquals(200, patched.statusCode(), patched.body());
        assertTrue(send("GET", "/Patient/" + id, null).body().contains("1992-02-02"));
        HttpResponse<String> invalid = browser.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient/" + id))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"add\",\"path\":\"/colour\",\"value\":\"blue\"}]")).build());
        assertEquals(422, invalid.statusCode(), invalid.body());
    }

    @Test
    void compartmentSearchAndEverything() {
        String patient = createPatient(unique(), "Sora", "1980-08-08", unique());
        String other = createPatient(unique(), "Umi", "1981-08-08", unique());
        createObservation(patient, "8867-4", "2024-02-01T00:00:00Z", 70);
        createObservation(patient, "8310-5", "2024-02-02T00:00:00Z", 36);
        createObservation(other, "8867-4", "2024-02-03T00:00:00Z", 90);

        assertEquals(2, search("Patient/" + patient + "/Observation").getEntry().size());
        assertEquals(1, search("Patient/" + patient + "/Observation?code=8310-5").getEntry().size());
        assertEquals(404, send("GET", "/Patient/no-such-patient/Observation", null).statusCode());

        Bundle everything = search("Patient/" + patient + "/$everything");
        assertEquals(3, everything.getEntry().size(), "the patient and its two observations, not the other patient's");
        assertEquals("Patient", everything.getEntryFirstRep().getResource().fhirType());
        Bundle paged = search("Patient/" + patient + "/$everything?_count=2");
        assertEquals(2, paged.getEntry().size());
        Bundle rest = FHIR.newJsonParser().parseResource(Bundle.class, send("GET", paged.getLink("next").getUrl(), null).body());
        assertEquals(1, rest.getEntry().size());
    }

    @Test
    void pagesStayCorrectWhileDataChanges() {
        String family = unique();
        for (int i = 0; i < 5; i++) {
            createPatient(family, "P" + i, "2000-01-0" + (i + 1), unique());
        }
        Bundle first = search("Patient?family:exact=" + family + "&_count=2");
        java.util.Set<String> seen = new java.util.HashSet<>();
        first.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
        createPatient(family, "Newcomer", "2000-02-01", unique());
        Bundle second = FHIR.newJsonParser().parseResource(Bundle.class, send("GET", first.getLink("next").getUrl(), null).body());
        second.getEntry().forEach(e -> assertTrue(seen.add(e.getResource().getIdElement().getIdPart()), "no resource twice across pages"));
        Bundle third = FHIR.newJsonParser().parseResource(Bundle.class, send("GET", second.getLink("next").getUrl(), null).body());
        third.getEntry().forEach(e -> assertTrue(seen.add(e.getResource().getIdElement().getIdPart()), "no resource twice across pages"));
        assertEquals(5, seen.size(), "all five that existed at the first page, no gap");
        assertTrue(third.getLink("next") == null, "the last page has no next link");
        Bundle back = FHIR.newJsonParser().parseResource(Bundle.class, send("GET", third.getLink("previous").getUrl(), null).body());
        assertEquals(second.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList(),
                back.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList(), "previous returns the page before");
    }

    @Test
    void tagsAndProfilesAreSearchable() {
        String tag = unique();
        HttpResponse<String> created = send("POST", "/Patient", "{\"resourceType\":\"Patient\",\"meta\":{\"tag\":[{\"system\":\"urn:it:tag\","
                + "\"code\":\"" + tag + "\"}],\"profile\":[\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient\"]}}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(1, search("Patient?_tag=urn:it:tag|" + tag).getEntry().size());
        assertTrue(search("Patient?_tag=" + tag + "&_profile=http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient")
                .getEntry().size() == 1);
    }
}
