package org.bastion.it;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.minidev.json.JSONObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EAR on a managed WildFly with the embedded default database, H2 (port offset 100): every contract
 * against one deployment, a nested class each (one deployment of the 150 MB EAR instead of one per contract).
 */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlySuiteIT {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    /** The EAR on a managed WildFly with the embedded default database, H2 (port offset 100). */
    @Nested
    class Platform extends PlatformContract implements BatchRuntimeContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        @Override
        public String batchBaseUrl() {
            return baseUrl();
        }
    }

    /**
     * The authorization server on a managed WildFly with H2, tokens signed RS256 (the default); and
     * a real Keycloak as the external identity provider whose tokens the FHIR API learns to trust.
     */
    @Nested
    @ExtendWith(KeycloakServer.class)
    class OAuth extends OAuthContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        @Test
        void rotationKeepsThePreviousKeyPublishedSoIssuedTokensStayValid() throws ParseException {
            Browser browser = new Browser();
            String admin = userToken("admin", adminPassword());
            String before = SignedJWT.parse(admin).getHeader().getKeyID();
            HttpResponse<String> rotated = browser.postJson(baseUrl() + "/admin/api/keys/rotate", "{}", "Authorization", "Bearer " + admin);
            assertEquals(200, rotated.statusCode(), rotated.body());
            String after = (String) Browser.json(rotated).get("kid");
            assertNotEquals(before, after);
            String jwks = browser.get(issuer() + "/jwks").body();
            assertTrue(jwks.contains(before) && jwks.contains(after), jwks);
            assertEquals(200, browser.get(baseUrl() + "/admin/api/audit?_count=1", "Authorization", "Bearer " + admin).statusCode(),
                    "a token signed before the rotation is still accepted");
            assertEquals(after, SignedJWT.parse(userToken("admin", adminPassword())).getHeader().getKeyID(), "new tokens are signed with the new key");
        }

        @Test
        void externalIssuerTokensAreVerifiedWithThatIssuersKeysOnly() throws Exception {
            Browser browser = new Browser();
            String admin = adminToken();
            String issuers = baseUrl() + "/admin/api/issuers";
            // Keycloak runs on loopback, which Bastion fetches from only when an admin allowed the origin
            java.net.URI discovery = java.net.URI.create(KeycloakServer.discoveryUrl());
            String origin = discovery.getScheme() + "://" + discovery.getHost() + ":" + discovery.getPort();
            allowOutbound(baseUrl(), origin, true);
            try {
                externalIssuerTokens(browser, admin, issuers);
            } finally {
                allowOutbound(baseUrl(), origin, false); // the console journey shows an admin allowing it
            }
        }

        private void externalIssuerTokens(Browser browser, String admin, String issuers) throws Exception {
            // a server reused from an earlier local run may know Keycloak already: start from not trusting it
            browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(issuers + "?issuer=" + enc(KeycloakServer.issuer())))
                    .header("Authorization", "Bearer " + admin).DELETE().build());
            String keycloak = KeycloakServer.clientCredentialsToken("fhir-backend", "fhir-backend-secret");
            HttpResponse<String> untrusted = browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + keycloak);
            assertEquals(401, untrusted.statusCode());
            assertTrue(untrusted.headers().firstValue("WWW-Authenticate").orElse("").contains("is not trusted"), untrusted.headers().toString());

            HttpResponse<String> registered = browser.postJson(issuers, "{\"discovery_url\":\"" + KeycloakServer.discoveryUrl() + "\"}",
                    "Authorization", "Bearer " + admin);
            assertEquals(201, registered.statusCode(), registered.body());
            assertEquals(KeycloakServer.issuer(), Browser.json(registered).get("issuer"));
            assertTrue(registered.body().contains(SignedJWT.parse(keycloak).getHeader().getKeyID()), "the issuer's keys are shown: " + registered.body());

            // Keycloak's token (scopes as an scp array, like Okta's) reads; its system/*.read does not write
            HttpResponse<String> read = browser.get(fhirBase() + "/Patient?_count=1", "Authorization", "Bearer " + keycloak);
            assertEquals(200, read.statusCode(), read.body());
            HttpResponse<String> write = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/Patient"))
                    .header("Authorization", "Bearer " + keycloak).header("Content-Type", "application/fhir+json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")).build());
            assertEquals(403, write.statusCode(), write.body());
            assertTrue(write.body().contains("system/Patient.c"), write.body());

            String otherAudience = KeycloakServer.clientCredentialsToken("other-audience", "other-audience-secret");
            HttpResponse<String> elsewhere = browser.get(fhirBase() + "/Patient", "Authorization", "Bearer " + otherAudience);
            assertEquals(401, elsewhere.statusCode());
            assertTrue(elsewhere.headers().firstValue("WWW-Authenticate").orElse("").contains("does not include '" + fhirBase() + "'"),
                    elsewhere.headers().toString());

            // Bastion's own key never vouches for a token that claims to come from Keycloak
            com.nimbusds.jwt.JWTClaimsSet claimsKeycloak = Tokens.claims(baseUrl()).issuer(KeycloakServer.issuer()).build();
            HttpResponse<String> forged = browser.get(fhirBase() + "/Patient", "Authorization", "Bearer " + Tokens.sign(claimsKeycloak, TestSigningKey.get()));
            assertEquals(401, forged.statusCode());
            assertTrue(forged.headers().firstValue("WWW-Authenticate").orElse("").contains("is not among the keys of issuer " + KeycloakServer.issuer()),
                    forged.headers().toString());
            String stranger = Tokens.sign(Tokens.claims(baseUrl()).issuer("https://idp.example.org/oauth2/default").build(), TestSigningKey.newKey());
            HttpResponse<String> unregistered = browser.get(fhirBase() + "/Patient", "Authorization", "Bearer " + stranger);
            assertEquals(401, unregistered.statusCode());
            assertTrue(unregistered.headers().firstValue("WWW-Authenticate").orElse("").contains("'https://idp.example.org/oauth2/default' is not trusted"),
                    unregistered.headers().toString());

            // the admin's token tester explains a verdict the way the 401 would
            var accepted = Browser.json(browser.postJson(issuers + "/test", "{\"token\":\"" + keycloak + "\"}", "Authorization", "Bearer " + admin));
            assertEquals(Boolean.TRUE, accepted.get("accepted"), accepted.toString());
            assertEquals("Practitioner/kc-practitioner", accepted.get("fhirUser"));
            assertEquals(List.of("system/*.read"), accepted.get("scopes"), accepted.toString());
            var refused = Browser.json(browser.postJson(issuers + "/test", "{\"token\":\"" + otherAudience + "\"}", "Authorization", "Bearer " + admin));
            assertEquals(Boolean.FALSE, refused.get("accepted"));
            assertTrue(((String) refused.get("reason")).contains("audience"), refused.toString());

            HttpResponse<String> unreachable = browser.postJson(issuers, "{\"discovery_url\":\"http://127.0.0.1:1/.well-known/openid-configuration\"}",
                    "Authorization", "Bearer " + admin);
            assertEquals(400, unreachable.statusCode());
            assertTrue(unreachable.body().contains("discovery_url") && unreachable.body().contains("could not be fetched"), unreachable.body());

            HttpResponse<String> trail = browser.get(baseUrl() + "/admin/api/audit?client=fhir-backend&_count=1", "Authorization", "Bearer " + admin);
            assertEquals(200, trail.statusCode(), trail.body());
            assertTrue(trail.body().contains(KeycloakServer.issuer()), "the audit trail names the external issuer: " + trail.body());
        }
    }

    /** The FHIR repository on a managed WildFly with H2. */
    @Nested
    class Fhir extends FhirContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /**
     * Bulk data export and import on a managed WildFly with H2; a Bulk Data client others use, unchanged;
     * and an export whose client is disabled midway (this server holds the demo data set, so an export
     * of everything lasts long enough to be caught).
     */
    @Nested
    class BulkData extends BulkDataContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        /** The exports compare their lines with search totals: the demo set, still loading, would change the totals in between. */
        @org.junit.jupiter.api.BeforeEach
        void demoDataLoaded() throws InterruptedException {
            DemoData.awaitReady(baseUrl());
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

    /** HAPI's generic client against the repository on a managed WildFly with H2. */
    @Nested
    class HapiClient extends HapiClientContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** SMART scopes on a managed WildFly with H2. */
    @Nested
    class SmartScopes extends SmartScopesContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        @Override
        boolean accessTokenQueryEnabled() {
            return false;
        }
    }

    /** The trust model, tried as an attacker would, on a managed WildFly with H2. */
    @Nested
    class Security extends SecurityContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** Hostile input and abuse on a managed WildFly with H2. */
    @Nested
    class Abuse extends AbuseContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        @Override
        int managementPort() {
            return 10090;
        }
    }

    /** The security headers, on a managed WildFly with H2. */
    @Nested
    class Headers extends HeadersContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** RP-initiated logout, client names and the consent page's return host, tried as an attacker would, on a managed WildFly with H2. */
    @Nested
    class Logout extends LogoutContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** The admin REST API on a managed WildFly with H2. */
    @Nested
    class AdminApi extends AdminApiContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** Housekeeping and its lease, on a managed WildFly with H2. */
    @Nested
    class Housekeeping extends HousekeepingContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** Health, request ids and metrics, on a managed WildFly with H2. */
    @Nested
    class Operations extends OperationsContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        @Override
        Path jsonLog() {
            return Path.of(System.getProperty("wildfly.home"), "standalone", "log", "bastion.json.log");
        }
    }

    /** API keys, tried as an attacker would, on a managed WildFly with H2. */
    @Nested
    class ApiKey extends ApiKeyContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }

    /** $validate, packages and validation on write, on a managed WildFly with H2. */
    @Nested
    class Validation extends ValidationContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }

        /** Validation on write applies to every write: turned on while the demo set loads, it would refuse the set's US Core profiles. */
        @org.junit.jupiter.api.BeforeEach
        void demoDataLoaded() throws InterruptedException {
            DemoData.awaitReady(baseUrl());
        }
    }

    /** R4 rest-hook Subscriptions with a local listener as the endpoint, on a managed WildFly with H2. */
    @Nested
    class Subscriptions extends SubscriptionContract {
        @Override
        String baseUrl() {
            return "http://localhost:8180";
        }
    }
}
