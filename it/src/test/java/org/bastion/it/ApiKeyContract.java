package org.bastion.it;

import net.minidev.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys (x-api-key), tried as an attacker would next to the integration an admin issued a key
 * for: off until an admin turns them on; a key acts as its client with no more than its scopes (and
 * the client's), its patient only (or the patients its organization manages), until revoked or its client is disabled; each key rate limited.
 */
abstract class ApiKeyContract extends OAuthClientSupport {

    private final Browser browser = new Browser();

    HttpResponse<String> admin(String method, String path, String json) {
        return browser.json(method, baseUrl() + "/admin/api" + path, json, "Authorization", "Bearer " + adminToken());
    }

    /** A FHIR interaction with the given headers (an API key, a token, both or none). */
    HttpResponse<String> fhir(String method, String path, String body, String... headers) {
        return browser.fhirRequest(method, fhirBase() + path, body, headers);
    }

    HttpResponse<String> withKey(String key, String method, String path, String body) {
        return fhir(method, path, body, "x-api-key", key);
    }

    /** An admin-created backend client with these scopes: its id. */
    String client(String scope) {
        HttpResponse<String> created = admin("POST", "/clients", "{\"client_name\":\"Key holder " + UUID.randomUUID().toString().substring(0, 6)
                + "\",\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"" + scope + "\"}");
        assertEquals(201, created.statusCode(), created.body());
        return (String) Browser.json(created).get("client_id");
    }

    HttpResponse<String> issue(String clientId, String scope, String patient) {
        return admin("POST", "/api-keys", "{\"name\":\"lab interface\",\"client_id\":\"" + clientId + "\",\"scope\":\"" + scope + "\""
                + (patient == null ? "" : ",\"patient\":\"" + patient + "\"") + "}");
    }

    String key(String clientId, String scope, String patient) {
        HttpResponse<String> issued = issue(clientId, scope, patient);
        assertEquals(201, issued.statusCode(), issued.body());
        return (String) Browser.json(issued).get("key");
    }

    static String idOf(String key) {
        return key.substring("bak_".length(), "bak_".length() + 16);
    }

    String createPatient(String key, String family) {
        HttpResponse<String> created = withKey(key, "POST", "/Patient", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}");
        assertEquals(201, created.statusCode(), created.body());
        return (String) Browser.json(created).get("id");
    }

    static void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains("OperationOutcome") && response.body().contains(reason), response.body());
        if (status == 401) {
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"), response.headers().toString());
        }
    }

    @BeforeEach
    void keysOn() {
        assertEquals(200, admin("PUT", "/settings", "{\"api_keys\":\"on\",\"api_key_rate_limit\":600}").statusCode());
    }

    @AfterEach
    void keysOff() {
        assertEquals(200, admin("PUT", "/settings", "{\"api_keys\":\"off\",\"api_key_rate_limit\":600}").statusCode());
    }

    @Test
    void aKeyWorksOnlyWhileAnAdminHasKeysTurnedOn() {
        String key = key(client("system/Patient.rs"), "system/Patient.rs", null);
        assertEquals(200, withKey(key, "GET", "/Patient?_count=1", null).statusCode());
        assertEquals(200, admin("PUT", "/settings", "{\"api_keys\":\"off\"}").statusCode());
        assertRefused(withKey(key, "GET", "/Patient?_count=1", null), 401, "API keys are turned off");
        HttpResponse<String> settings = admin("PUT", "/settings", "{\"api_keys\":\"maybe\"}");
        assertEquals(400, settings.statusCode(), settings.body());
        assertEquals("api_keys", Browser.json(settings).get("field"));
        assertEquals(200, admin("PUT", "/settings", "{\"api_keys\":\"on\"}").statusCode());
        assertEquals(200, withKey(key, "GET", "/Patient?_count=1", null).statusCode(), "turned on again, the key works again");
        assertTrue(fhir("GET", "/metadata", null).body().contains("x-api-key"), "the CapabilityStatement names the header");
    }

    @Test
    void aKeyReadsWhatItsScopesAllowAndNothingElse() {
        String clientId = client("system/Patient.cruds system/Observation.rs");
        String writer = key(clientId, "system/Patient.cruds", null);
        String patient = createPatient(writer, "Keyholder");
        String reader = key(clientId, "system/Patient.rs", null);
        HttpResponse<String> read = withKey(reader, "GET", "/Patient/" + patient, null);
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("Keyholder"), read.body());
        assertEquals(403, withKey(reader, "POST", "/Patient", "{\"resourceType\":\"Patient\"}").statusCode(), "a read key does not write");
        assertEquals(403, withKey(reader, "DELETE", "/Patient/" + patient, null).statusCode(), "a read key does not delete");
        assertEquals(403, withKey(reader, "GET", "/Observation?_count=1", null).statusCode(), "a key has its own scopes, not all of its client's");
        assertEquals(403, withKey(reader, "GET", "/Encounter?_count=1", null).statusCode());
        assertEquals(204, withKey(writer, "DELETE", "/Patient/" + patient, null).statusCode(), "the key with cruds deletes");

        // the key's use is recorded: the list shows when it was last used, the audit trail names it
        HttpResponse<String> list = admin("GET", "/api-keys?client_id=" + clientId, null);
        assertEquals(200, list.statusCode(), list.body());
        assertFalse(list.body().contains(reader.substring(22)), "a list never shows a key's secret");
        assertTrue(list.body().contains("\"id\":\"" + idOf(reader) + "\""), list.body());
        assertTrue(list.body().contains("\"last_used_at\""), list.body());
        HttpResponse<String> audit = admin("GET", "/audit?client=" + clientId + "&resource=Patient&_count=50", null);
        assertTrue(audit.body().contains("api-key:" + idOf(reader)), "the audit trail names the key: " + audit.body());
    }

    @Test
    void aPatientKeyReachesItsPatientOnly() {
        String clientId = client("system/Patient.cruds system/Observation.cruds patient/*.rs");
        String setup = key(clientId, "system/Patient.cruds system/Observation.cruds", null);
        String mine = createPatient(setup, "Mine");
        String other = createPatient(setup, "Other");
        for (String subject : new String[]{mine, other}) {
            HttpResponse<String> lab = withKey(setup, "POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"glucose\"},\"subject\":{\"reference\":\"Patient/" + subject + "\"}}");
            assertEquals(201, lab.statusCode(), lab.body());
        }
        String key = key(clientId, "patient/*.rs", mine);
        assertEquals(200, withKey(key, "GET", "/Patient/" + mine, null).statusCode());
        assertEquals(404, withKey(key, "GET", "/Patient/" + other, null).statusCode(), "another patient is not there for this key");
        HttpResponse<String> labs = withKey(key, "GET", "/Observation?_count=100", null);
        assertEquals(200, labs.statusCode(), labs.body());
        assertTrue(labs.body().contains("Patient/" + mine), labs.body());
        assertFalse(labs.body().contains("Patient/" + other), "another patient's observations stay hidden: " + labs.body());
        assertEquals(403, withKey(key, "POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/" + mine + "\"}}").statusCode(), "patient/*.rs does not write");
    }

    @Test
    void anOrganizationKeyReachesThePatientsItManagesAsTheyAreNow() {
        String clientId = client("system/Patient.cruds system/Organization.cruds system/Observation.cruds patient/*.rs");
        String setup = key(clientId, "system/Patient.cruds system/Organization.cruds system/Observation.cruds", null);
        String[] organizations = new String[2];
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> created = withKey(setup, "POST", "/Organization", "{\"resourceType\":\"Organization\",\"name\":\"Clinic " + i + "\"}");
            assertEquals(201, created.statusCode(), created.body());
            organizations[i] = (String) Browser.json(created).get("id");
        }
        String[] patients = new String[4]; // two of the first clinic, one of the second, one of none
        String[] managers = {organizations[0], organizations[0], organizations[1], null};
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> created = withKey(setup, "POST", "/Patient", patientJson(null, "Clinic" + i, managers[i]));
            assertEquals(201, created.statusCode(), created.body());
            patients[i] = (String) Browser.json(created).get("id");
            HttpResponse<String> lab = withKey(setup, "POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"glucose\"},\"subject\":{\"reference\":\"Patient/" + patients[i] + "\"}}");
            assertEquals(201, lab.statusCode(), lab.body());
        }
        HttpResponse<String> issued = admin("POST", "/api-keys", "{\"name\":\"clinic export\",\"client_id\":\"" + clientId
                + "\",\"scope\":\"patient/*.rs\",\"organization\":\"" + organizations[0] + "\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        assertEquals(organizations[0], Browser.json(issued).get("organization"), issued.body());
        String key = (String) Browser.json(issued).get("key");
        for (int i = 0; i < 4; i++) {
            assertEquals(i < 2 ? 200 : 404, withKey(key, "GET", "/Patient/" + patients[i], null).statusCode(), "patient " + i);
        }
        HttpResponse<String> labs = withKey(key, "GET", "/Observation?_count=100", null);
        assertEquals(200, labs.statusCode(), labs.body());
        for (int i = 0; i < 4; i++) {
            assertEquals(i < 2, labs.body().contains("Patient/" + patients[i]), "patient " + i + "'s observation: " + labs.body());
        }
        assertEquals(403, withKey(key, "POST", "/Observation", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"Patient/" + patients[0] + "\"}}").statusCode(), "patient/*.rs does not write");
        // the reach is the organization's patients as they are now: one moved in is reached, one moved out is not
        assertEquals(200, withKey(setup, "PUT", "/Patient/" + patients[2], patientJson(patients[2], "Clinic2", organizations[0])).statusCode());
        assertEquals(200, withKey(setup, "PUT", "/Patient/" + patients[1], patientJson(patients[1], "Clinic1", organizations[1])).statusCode());
        assertEquals(200, withKey(key, "GET", "/Patient/" + patients[2], null).statusCode(), "moved into the clinic");
        assertEquals(404, withKey(key, "GET", "/Patient/" + patients[1], null).statusCode(), "moved out of the clinic");
        // an organization nobody names reaches nothing, and says why
        HttpResponse<String> nobody = admin("POST", "/api-keys", "{\"name\":\"x\",\"client_id\":\"" + clientId
                + "\",\"scope\":\"patient/*.rs\",\"organization\":\"no-such-clinic\"}");
        assertEquals(201, nobody.statusCode(), nobody.body());
        assertRefused(withKey((String) Browser.json(nobody).get("key"), "GET", "/Observation", null), 403, "managingOrganization");
    }

    static String patientJson(String id, String family, String organization) {
        return "{\"resourceType\":\"Patient\"" + (id == null ? "" : ",\"id\":\"" + id + "\"") + ",\"name\":[{\"family\":\"" + family + "\"}]"
                + (organization == null ? "" : ",\"managingOrganization\":{\"reference\":\"Organization/" + organization + "\"}") + "}";
    }

    @Test
    void aKeyGrantsNoMoreThanAnAdminMayGiveItsClient() {
        String clientId = client("system/Patient.rs patient/*.rs");
        String[][] refused = {
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Observation.rs\"}", "scope", "may have"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.cruds\"}", "scope", "may have"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"user/*.rs\"}", "scope", "not a system/ or patient/"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"admin\"}", "scope", "not a system/ or patient/"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"patient/*.rs\"}", "scope", "give patient"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"patient\":\"p1\"}", "scope", "patient/ scopes only"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"patient/*.rs\",\"patient\":\"../x\"}", "patient", "Patient id"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"patient/*.rs\",\"organization\":\"../x\"}", "organization", "Organization id"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"patient/*.rs\",\"organization\":\"o1\",\"patient\":\"p1\"}", "organization", "give one"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"organization\":\"o1\"}", "scope", "patient/ scopes only"},
                {"{\"name\":\"x\",\"client_id\":\"no-such-client\",\"scope\":\"system/Patient.rs\"}", "client_id", "registered client"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"\"}", "scope", "required"},
                {"{\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\"}", "name", "required"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"expires_in_days\":0}", "expires_in_days", "between"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"expires_in_days\":366}", "expires_in_days", "between"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"expires_in_days\":\"ever\"}", "expires_in_days", "whole number"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":[\"system/Patient.rs\"]}", "scope", "string"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"expires_at\":\"2020-01-01T00:00:00Z\"}", "expires_at", "future"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"expires_at\":\"tomorrow\"}", "expires_at", "instant"},
                {"{\"name\":\"x\",\"client_id\":\"" + clientId + "\",\"scope\":\"system/Patient.rs\",\"expires_at\":\""
                        + java.time.Instant.now().plusSeconds(3600) + "\",\"expires_in_days\":1}", "expires_at", "give one"},
        };
        for (String[] attempt : refused) {
            HttpResponse<String> response = admin("POST", "/api-keys", attempt[0]);
            assertEquals(400, response.statusCode(), attempt[0] + " -> " + response.body());
            JSONObject error = Browser.json(response);
            assertEquals(attempt[1], error.get("field"), response.body());
            assertTrue(String.valueOf(error.get("error_description")).contains(attempt[2]), attempt[0] + " -> " + response.body());
        }
        HttpResponse<String> issued = issue(clientId, "system/Patient.rs", null);
        assertEquals(201, issued.statusCode(), issued.body());
        JSONObject key = Browser.json(issued);
        assertEquals("active", key.get("status"));
        assertEquals(clientId, key.get("client_id"));
        assertNotNull(key.get("expires_at"));
        assertEquals(401, browser.json("POST", baseUrl() + "/admin/api/api-keys", "{}", "x-api-key", (String) key.get("key")).statusCode(),
                "a key does not open the admin API");
    }

    @Test
    void forgedWrongRevokedAndOrphanedKeysAreRefusedWithTheReason() {
        String clientId = client("system/Patient.rs");
        String key = key(clientId, "system/Patient.rs", null);
        assertEquals(200, withKey(key, "GET", "/Patient?_count=1", null).statusCode());
        assertRefused(withKey("not-a-key", "GET", "/Patient?_count=1", null), 401, "does not hold an API key");
        assertRefused(withKey(key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A"), "GET", "/Patient?_count=1", null), 401,
                "not known to this server");
        assertRefused(withKey("bak_AAAAAAAAAAAAAAAA_" + key.substring(21), "GET", "/Patient?_count=1", null), 401, "not known to this server");
        assertRefused(withKey(key + "x".repeat(1_000), "GET", "/Patient?_count=1", null), 401, "does not hold an API key");
        assertRefused(fhir("GET", "/Patient?_count=1", null, "x-api-key", key, "Authorization", "Bearer " + adminToken()), 401, "send one credential");

        assertEquals(200, admin("POST", "/clients/" + clientId + "/disable", null).statusCode());
        assertRefused(withKey(key, "GET", "/Patient?_count=1", null), 401, "disabled");
        assertEquals(200, admin("POST", "/clients/" + clientId + "/enable", null).statusCode());
        assertEquals(200, withKey(key, "GET", "/Patient?_count=1", null).statusCode(), "enabled again, the client's key works again");

        assertEquals(204, admin("DELETE", "/api-keys/" + idOf(key), null).statusCode());
        assertRefused(withKey(key, "GET", "/Patient?_count=1", null), 401, "was revoked");
        JSONObject revoked = Browser.json(admin("GET", "/api-keys/" + idOf(key), null));
        assertEquals("revoked", revoked.get("status"));
        assertNotNull(revoked.get("revoked_by"));
        assertEquals(404, admin("DELETE", "/api-keys/nope", null).statusCode());

        String second = key(clientId, "system/Patient.rs", null);
        assertEquals(204, admin("DELETE", "/clients/" + clientId, null).statusCode());
        assertEquals(404, admin("GET", "/api-keys/" + idOf(second), null).statusCode(), "a deleted client's keys go with it");
        assertRefused(withKey(second, "GET", "/Patient?_count=1", null), 401, "not known to this server");
    }

    @Test
    void aKeyStopsWorkingWhenItExpires() throws InterruptedException {
        String clientId = client("system/Patient.rs");
        java.time.Instant expiry = java.time.Instant.now().plusSeconds(3);
        HttpResponse<String> issued = admin("POST", "/api-keys", "{\"name\":\"short-lived\",\"client_id\":\"" + clientId
                + "\",\"scope\":\"system/Patient.rs\",\"expires_at\":\"" + expiry + "\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        String key = (String) Browser.json(issued).get("key");
        assertEquals(200, withKey(key, "GET", "/Patient?_count=1", null).statusCode(), "before it expires");
        Thread.sleep(Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiry).toMillis()) + 500);
        assertRefused(withKey(key, "GET", "/Patient?_count=1", null), 401, "expired at");
        assertEquals("expired", Browser.json(admin("GET", "/api-keys/" + idOf(key), null)).get("status"));
    }

    @Test
    void eachKeyIsRateLimited() {
        String clientId = client("system/Patient.rs");
        String key = key(clientId, "system/Patient.rs", null);
        String neighbour = key(clientId, "system/Patient.rs", null);
        assertEquals(200, admin("PUT", "/settings", "{\"api_key_rate_limit\":3}").statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(200, withKey(key, "GET", "/Patient?_count=1&_id=r" + i, null).statusCode(), "request " + (i + 1));
        }
        HttpResponse<String> limited = withKey(key, "GET", "/Patient?_count=1", null);
        assertRefused(limited, 429, "api_key_rate_limit");
        int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, "Retry-After " + retryAfter);
        assertEquals(200, withKey(neighbour, "GET", "/Patient?_count=1", null).statusCode(), "another key has its own window");
        assertEquals(200, admin("PUT", "/settings", "{\"api_key_rate_limit\":600}").statusCode());
        assertEquals(200, withKey(key, "GET", "/Patient?_count=1", null).statusCode(), "a new limit starts every window afresh");
    }
}
