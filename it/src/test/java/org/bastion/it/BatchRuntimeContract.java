package org.bastion.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A bulk import and export through the deployment's own batch runtime (JBeret on WildFly, Payara's
 * JBatch): run by WildFlySuiteIT, WildFlyPostgresSuiteIT, PayaraServerIT and PayaraMicroIT. Each job
 * runs more than one chunk (1 000 import lines, 500 exported resources), so the batch runtime records
 * a checkpoint beside Bastion's writes in a chunk's transaction (on Payara Micro that needs its job
 * repository's pool to be XA: preboot.asadmin).
 */
interface BatchRuntimeContract {

    /** More than a chunk of either job. */
    long PATIENTS = 1_100;

    /** The deployment's base URL (its baseUrl()). */
    String batchBaseUrl();

    private String fhir() {
        return batchBaseUrl() + "/fhir/r4";
    }

    @Test
    default void aBulkImportAndExportRunOnTheServersBatchRuntime() throws Exception {
        String token = Tokens.sign(Tokens.claims(batchBaseUrl()).build(), TestSigningKey.get());
        String family = "Batch" + java.util.UUID.randomUUID().toString().substring(0, 8);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < PATIENTS; i++) {
            lines.append("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"").append(family).append("\",\"given\":[\"P").append(i).append("\"]}]}\n");
            if (i == 1) {
                lines.append("{\"resourceType\":\"Patient\",\"birthDate\":\"nope\"}\n");
            }
        }
        HttpResponse<String> uploaded = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir() + "/$import-upload"))
                .header("Authorization", "Bearer " + token).POST(java.net.http.HttpRequest.BodyPublishers.ofString(lines.toString())));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        String parameters = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"input\",\"part\":[{\"name\":\"type\",\"valueString\":\"Patient\"},"
                + "{\"name\":\"url\",\"valueUri\":\"" + JSONObjectUtils.parse(uploaded.body()).get("url") + "\"}]}]}";
        Map<String, Object> imported = bulkJob(token, java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir() + "/$import"))
                .header("Content-Type", "application/fhir+json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(parameters)));
        assertEquals(PATIENTS, count(imported.get("output"), "Patient"), "the good lines: " + imported);
        assertEquals(1L, count(imported.get("error"), "OperationOutcome"), "the bad line, reported: " + imported);

        Map<String, Object> exported = bulkJob(token, java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir()
                + "/$export?_type=Patient&_typeFilter=" + java.net.URLEncoder.encode("Patient?family=" + family, java.nio.charset.StandardCharsets.UTF_8))).GET());
        assertEquals(PATIENTS, count(exported.get("output"), "Patient"), exported.toString());
        String file = (String) ((Map<?, ?>) ((java.util.List<?>) exported.get("output")).get(0)).get("url");
        HttpResponse<String> exportedLines = Http.getWithToken(file, token);
        assertEquals(200, exportedLines.statusCode(), exportedLines.body());
        assertEquals(PATIENTS, exportedLines.body().lines().filter(line -> line.contains(family))
                .map(line -> line.replaceAll(".*\"given\":\\[\"(P[0-9]+)\"].*", "$1")).distinct().count(), "each imported Patient once");
        assertEquals(PATIENTS, exportedLines.body().lines().count());
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
