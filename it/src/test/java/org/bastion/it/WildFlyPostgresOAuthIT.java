package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.text.ParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization server on WildFly with PostgreSQL, tokens signed RS512 (BASTION_SIGNING_ALG, as in the IRIS seed),
 * registration closed (the default): clients register with an initial access token.
 */
@ExtendWith({EmbeddedPostgresql.class, TestSigningKey.class, ArquillianExtension.class})
class WildFlyPostgresOAuthIT extends OAuthContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

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
