package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.text.ParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The authorization server on WildFly with PostgreSQL, tokens signed RS512 (BASTION_SIGNING_ALG, as in the IRIS seed). */
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
