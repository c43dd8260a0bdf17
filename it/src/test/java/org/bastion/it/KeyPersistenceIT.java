package org.bastion.it;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First start with nothing configured but demo mode: Bastion generates its key and the admin's
 * password and loads the demo data set (a Jakarta Batch job); a restart on the same data keeps
 * the key and the admin and loads nothing twice. Payara Micro, port 8480.
 */
class KeyPersistenceIT {

    private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(4);

    private final PayaraMicroServer server = new PayaraMicroServer("first-start", 8480, false, Map.of("BASTION_DEMO", "true"));

    @Test
    void generatedKeyAndAdminSurviveARestart() throws Exception {
        // a first start: no data of an earlier run
        if (Files.exists(server.dataDir())) {
            try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(server.dataDir())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        server.start();
        String firstKid;
        Map<String, Long> firstCounts;
        try {
            firstKid = onlyKid();
            assertNotEquals(TestSigningKey.get().getKeyID(), firstKid, "no key file was given, so the key is generated");
            firstCounts = demoData(1);
            assertEquals(30, firstCounts.get("Patient"), firstCounts.toString());
            assertTrue(firstCounts.get("Observation") > 1000, firstCounts.toString());
        } finally {
            server.stop();
        }
        String firstLog = Files.readString(server.log(1));
        assertTrue(firstLog.contains("Signing key " + firstKid + " generated"), "first start generates the key");
        assertTrue(firstLog.contains("Bootstrap admin 'admin' created with generated password: "), "the password is printed once");
        assertTrue(Files.exists(server.dataDir().resolve("bastion.mv.db")), "H2 keeps its file in BASTION_DATA_DIR");

        server.start();
        try {
            assertEquals(firstKid, onlyKid(), "a restart keeps the same key");
            assertEquals(firstCounts, demoData(2), "a restart loads nothing twice");
        } finally {
            server.stop();
        }
        String secondLog = Files.readString(server.log(2));
        assertFalse(secondLog.contains("generated password"), "the admin is created once, and its password shown once");
        assertFalse(secondLog.contains("Signing key"), "no second key on restart");
        assertTrue(secondLog.contains("Demo data ready: 0 bundles loaded now, 32 were there"), "the second start finds the demo data there");
    }

    /**
     * Waits for the demo job of the n-th start to finish, then counts what it made, with a token of
     * the demo's Postman client.
     */
    private Map<String, Long> demoData(int start) throws Exception {
        Instant deadline = Instant.now().plus(DEMO_TIMEOUT);
        while (!Files.readString(server.log(start)).contains("Demo data ready")) {
            assertTrue(Instant.now().isBefore(deadline), "the demo data job did not finish within " + DEMO_TIMEOUT);
            Thread.sleep(1000);
        }
        HttpResponse<String> token = new Browser().postForm(server.baseUrl() + "/oauth2/token",
                Browser.form("grant_type", "client_credentials", "scope", "system/*.rs"), "Authorization", AdminApiContract.basic("postman", "postman-demo-secret"));
        assertEquals(200, token.statusCode(), token.body());
        String bearer = (String) Browser.json(token).get("access_token");
        Map<String, Long> counts = new TreeMap<>();
        for (String type : List.of("Patient", "Practitioner", "Organization", "Encounter", "Condition", "Observation", "MedicationRequest")) {
            HttpResponse<String> count = Http.getWithToken(server.baseUrl() + "/fhir/r4/" + type + "?_summary=count", bearer);
            assertEquals(200, count.statusCode(), count.body());
            counts.put(type, ((Number) Browser.json(count).get("total")).longValue());
        }
        return counts;
    }

    private String onlyKid() throws ParseException {
        HttpResponse<String> response = Http.get(server.baseUrl() + "/oauth2/jwks");
        assertEquals(200, response.statusCode(), response.body());
        JWKSet jwks = JWKSet.parse(response.body());
        assertEquals(1, jwks.getKeys().size());
        return jwks.getKeys().get(0).getKeyID();
    }
}
