package org.bastion.it;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import net.minidev.json.JSONObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bulk data export and import on a managed WildFly with H2; a Bulk Data client others use, unchanged;
 * and an export whose client is disabled midway (this server holds the demo data set, so an export
 * of everything lasts long enough to be caught).
 */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyBulkDataIT extends BulkDataContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }

    /** The Medplum CLI (npm @medplum/cli) exports as a backend service; its files' lines equal the search totals. */
    @Test
    void aPublishedBulkDataClientExportsUnchanged() throws Exception {
        HttpResponse<String> created = browser.postJson(baseUrl() + "/admin/api/clients", "{\"client_name\":\"Medplum CLI\","
                + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.rs\"}",
                "Authorization", "Bearer " + adminToken());
        assertEquals(201, created.statusCode(), created.body());
        NodeJourney.run("bulk-client-journey.mjs", "bulk-client-journey", Map.of(
                "BASTION_URL", baseUrl(),
                "CLIENT_ID", json(created).getAsString("client_id"),
                "CLIENT_SECRET", json(created).getAsString("client_secret")));
    }

    @Test
    void anExportWhoseClientAnAdminDisablesMidwayStopsWithTheReason() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        Registered client = keyClient(browser, key, "client_credentials");
        HttpResponse<String> issued = browser.postForm(issuer() + "/token", clientAssertion(assertion(key, client.id(), client.id(),
                issuer() + "/token", UUID.randomUUID().toString()), "grant_type", "client_credentials", "scope", "system/*.rs"));
        assertEquals(200, issued.statusCode(), issued.body());
        String token = (String) json(issued).get("access_token");
        // an export long enough to be caught midway: this server holds the demo data set (over 10 000
        // resources, about a second of export on H2), and the admin signed in before the kick-off, so
        // that the disable follows it within milliseconds
        assertTrue(total("Observation") > 3000, "the demo data set is loaded");
        adminToken();
        HttpResponse<String> accepted = kickOff(token, "/$export");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String status = accepted.headers().firstValue("Content-Location").orElseThrow();
        String id = status.substring(status.lastIndexOf('/') + 1);
        // at once: an export of everything reads page after page, and each page asks again what the client may read
        assertEquals(200, adminCall("POST", "/clients/" + client.id() + "/disable", null, null).statusCode());

        JSONObject job = json(adminCall("GET", "/bulk-jobs/" + id, null, null));
        for (int i = 0; i < 300 && List.of("accepted", "running").contains(job.getAsString("status")); i++) {
            Thread.sleep(200);
            job = json(adminCall("GET", "/bulk-jobs/" + id, null, null));
        }
        assertEquals("failed", job.getAsString("status"), "the export stopped at its next page: " + job.toJSONString());
        assertTrue(job.getAsString("message").contains("disabled"), "with the reason: " + job.toJSONString());
        HttpResponse<String> polled = fhir(token, "GET", status, null);
        assertEquals(401, polled.statusCode(), "the disabled client's token opens nothing, its export's status neither");
        assertTrue(polled.headers().firstValue("WWW-Authenticate").orElse("").contains("disabled"), polled.headers().toString());

        assertEquals(200, adminCall("POST", "/clients/" + client.id() + "/enable", null, null).statusCode());
        HttpResponse<String> again = browser.postForm(issuer() + "/token", clientAssertion(assertion(key, client.id(), client.id(),
                issuer() + "/token", UUID.randomUUID().toString()), "grant_type", "client_credentials", "scope", "system/*.rs"));
        assertEquals(200, again.statusCode(), "enabled again, the client gets tokens: " + again.body());
        HttpResponse<String> failed = fhir((String) json(again).get("access_token"), "GET", status, null);
        assertEquals(500, failed.statusCode(), "the stopped export stays failed, an OperationOutcome with the reason: " + failed.body());
        assertTrue(failed.body().contains("OperationOutcome") && failed.body().contains("disabled"), failed.body());
    }
}
