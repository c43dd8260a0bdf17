package org.bastion.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.ParseException;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The EAR on a managed WildFly configured by postgresql.cli, against a real PostgreSQL (port offset 300):
 * every contract against one deployment, a nested class each.
 */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class, ArquillianExtension.class})
class WildFlyPostgresSuiteIT {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    /** The EAR on a managed WildFly configured by postgresql.cli, against a real PostgreSQL (port offset 300). */
    @Nested
    class Platform extends PlatformContract implements BatchRuntimeContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }

        @Override
        public String batchBaseUrl() {
            return baseUrl();
        }

        @Test
        void schemaKeyAndBootstrapAdminLiveInPostgresql() throws SQLException {
            try (Connection db = EmbeddedPostgresql.connect(); Statement sql = db.createStatement()) {
                try (ResultSet failed = sql.executeQuery("select count(*) from flyway_schema_history where not success")) {
                    assertTrue(failed.next());
                    assertEquals(0, failed.getInt(1), "every migration succeeded");
                }
                // the PostgreSQL-only migration (db/postgresql) ran too: prefix searches have their pattern index
                try (ResultSet prefix = sql.executeQuery("select count(*) from pg_indexes where indexname = 'ix_fhir_idx_string_prefix'")) {
                    assertTrue(prefix.next());
                    assertEquals(1, prefix.getInt(1));
                }
                try (ResultSet keys = sql.executeQuery("select kid from signing_key where retired_at is null")) {
                    assertTrue(keys.next());
                    assertEquals(TestSigningKey.get().getKeyID(), keys.getString(1));
                }
                try (ResultSet admin = sql.executeQuery(
                        "select u.username, u.password_hash from bastion_user u join bastion_user_role r on r.user_id = u.id where r.role_name = 'admin'")) {
                    assertTrue(admin.next());
                    assertEquals("admin", admin.getString(1));
                    assertTrue(admin.getString(2).startsWith("pbkdf2-sha256$"), "passwords are stored hashed");
                }
            }
        }
    }

    /**
     * The authorization server on WildFly with PostgreSQL, tokens signed RS512 (BASTION_SIGNING_ALG, as in the IRIS seed),
     * registration closed (the default): clients register with an initial access token.
     */
    @Nested
    class OAuth extends OAuthContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }

        @Test
        void closedRegistrationNeedsAnInitialAccessTokenWithUsesLeft() {
            Browser browser = new Browser();
            String metadata = "{\"redirect_uris\":[\"https://app.example.com/cb\"]}";
            var none = browser.postJson(issuer() + "/register", metadata);
            assertEquals(401, none.statusCode());
            assertEquals("invalid_token", Browser.json(none).get("error"));
            var issued = browser.postJson(baseUrl() + "/admin/api/initial-access-tokens", "{\"uses\":1}", "Authorization", "Bearer " + adminToken());
            String token = (String) Browser.json(issued).get("token");
            assertEquals(201, browser.postJson(issuer() + "/register", metadata, "Authorization", "Bearer " + token).statusCode());
            var spent = browser.postJson(issuer() + "/register", metadata, "Authorization", "Bearer " + token);
            assertEquals(401, spent.statusCode());
            assertTrue(((String) Browser.json(spent).get("error_description")).contains("used up"));
        }

        @Test
        void tokensAreSignedWithTheConfiguredAlgorithm() throws ParseException {
            Browser browser = new Browser();
            Registered client = confidential(browser, "client_credentials", "system/*.rs");
            var response = browser.postForm(issuer() + "/token", Browser.form("grant_type", "client_credentials"), "Authorization", client.basic());
            String token = (String) Browser.json(response).get("access_token");
            assertEquals("RS512", com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getAlgorithm().getName());
            assertEquals(java.util.List.of("RS512"), Browser.json(browser.get(issuer() + "/.well-known/openid-configuration"))
                    .get("id_token_signing_alg_values_supported"));
        }
    }

    /** The FHIR repository on a managed WildFly with PostgreSQL. */
    @Nested
    class Fhir extends FhirContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** Bulk data export and import on a managed WildFly with PostgreSQL. */
    @Nested
    class BulkData extends BulkDataContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** HAPI's generic client against the repository on a managed WildFly with PostgreSQL. */
    @Nested
    class HapiClient extends HapiClientContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** SMART scopes on a managed WildFly with PostgreSQL (started with BASTION_ACCESS_TOKEN_QUERY=true). */
    @Nested
    class SmartScopes extends SmartScopesContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }

        @Override
        boolean accessTokenQueryEnabled() {
            return true;
        }
    }

    /** The trust model, tried as an attacker would, on a managed WildFly with PostgreSQL. */
    @Nested
    class Security extends SecurityContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** Hostile input and abuse on a managed WildFly with PostgreSQL. */
    @Nested
    class Abuse extends AbuseContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }

        @Override
        int managementPort() {
            return 10290;
        }
    }

    /** The admin REST API on a managed WildFly with PostgreSQL. */
    @Nested
    class AdminApi extends AdminApiContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** Health, request ids and metrics, on a managed WildFly with PostgreSQL. */
    @Nested
    class Operations extends OperationsContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }

        @Override
        Path jsonLog() {
            return Path.of(System.getProperty("wildfly.home"), "standalone", "log", "bastion.json.log");
        }
    }

    /** API keys, tried as an attacker would, on a managed WildFly with PostgreSQL. */
    @Nested
    class ApiKey extends ApiKeyContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** $validate, packages and validation on write, on a managed WildFly with PostgreSQL. */
    @Nested
    class Validation extends ValidationContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }

    /** R4 rest-hook Subscriptions with a local listener as the endpoint, on a managed WildFly with PostgreSQL. */
    @Nested
    class Subscriptions extends SubscriptionContract {
        @Override
        String baseUrl() {
            return "http://localhost:8380";
        }
    }
}
