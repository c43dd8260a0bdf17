package org.bastion.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bulk import and export through the deployment's own batch runtime (JBeret on WildFly, Payara
 * Server's): run by WildFlySuiteIT, WildFlyPostgresSuiteIT and PayaraServerIT. Not by PayaraMicroIT: on Payara
 * Micro a bulk job's chunk fails (its batch repository, jdbc/__TimerPool, is a second non-XA
 * resource beside Bastion's in the chunk's transaction; docs/bulk-data.md).
 */
interface BatchRuntimeContract {

    /** The deployment's base URL (its baseUrl()). */
    String batchBaseUrl();

    private String fhir() {
        return batchBaseUrl() + "/fhir/r4";
    }

    @Test
    default void aBulkImportAndExportRunOnTheServersBatchRuntime() throws Exception {
        String token = Tokens.sign(Tokens.claims(batchBaseUrl()).build(), TestSigningKey.get());
        String family = "Batch" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String patient = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}";
        HttpResponse<String> uploaded = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir() + "/$import-upload"))
                .header("Authorization", "Bearer " + token)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(patient + "\n{\"resourceType\":\"Patient\",\"birthDate\":\"nope\"}\n" + patient + "\n")));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueString\":\"Patient\"},"
                + "{\"name\":\"url\",\"valueUri\":\"" + JSONObjectUtils.parse(uploaded.body()).get("url") + "\"}]}]}";
        Map<String, Object> imported = bulkJob(token, java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir() + "/$import"))
                .header("Content-Type", "application/fhir+json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(parameters)));
        assertEquals(2L, count(imported.get("output"), "Patient"), "the good lines: " + imported);
        assertEquals(1L, count(imported.get("error"), "OperationOutcome"), "the bad line, reported: " + imported);

        Map<String, Object> exported = bulkJob(token, java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir()
                + "/$export?_type=Patient&_typeFilter=" + java.net.URLEncoder.encode("Patient?family=" + family, java.nio.charset.StandardCharsets.UTF_8))).GET());
        assertEquals(2L, count(exported.get("output"), "Patient"), exported.toString());
        String file = (String) ((Map<?, ?>) ((java.util.List<?>) exported.get("output")).get(0)).get("url");
        HttpResponse<String> lines = Http.getWithToken(file, token);
        assertEquals(200, lines.statusCode(), lines.body());
        assertEquals(2, lines.body().split("\n").length, lines.body());
        assertTrue(lines.body().lines().allMatch(line -> line.contains(family)), lines.body());
    }

    /** Kicks off a bulk job (Prefer: respond-async) and polls its status URL until the manifest, for up to a minute. */
    private Map<String, Object> bulkJob(String token, java.net.http.HttpRequest.Builder kickOff) throws Exception {
        HttpResponse<String> accepted = Http.send(kickOff.header("Authorization", "Bearer " + token).header("Prefer", "respond-async"));
        assertEquals(202, accepted.statusCode(), accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> polled = Http.getWithToken(status, token);
            if (polled.statusCode() == 200) {
                return JSONObjectUtils.parse(polled.body());
            }
            assertEquals(202, polled.statusCode(), polled.body());
            Thread.sleep(200);
        }
        throw new AssertionError("the bulk job " + status + " did not end in a minute");
    }

    /** The count a manifest's list (output or error) gives for a type; 0 when it lists none. */
    private static long count(Object files, String type) {
        return ((java.util.List<?>) files).stream().map(f -> (Map<?, ?>) f).filter(f -> type.equals(f.get("type")))
                .mapToLong(f -> ((Number) f.get("count")).longValue()).sum();
    }

}
