package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bulk data export and import on a managed WildFly with H2; and a Bulk Data client others use, unchanged. */
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
}
