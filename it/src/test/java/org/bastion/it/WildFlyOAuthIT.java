package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.text.ParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The authorization server on a managed WildFly with H2, tokens signed RS256 (the default). */
@ExtendWith({TestSigningKey.class, ArquillianExtension.class})
class WildFlyOAuthIT extends OAuthContract {

    @Deployment(testable = false)
    static EnterpriseArchive ear() {
        return Deployments.ear();
    }

    @Override
    String baseUrl() {
        return "http://localhost:8180";
    }

    @Test
    void rotationKeepsThePreviousKeyPublishedSoIssuedTokensStayValid() throws ParseException {
        Browser browser = new Browser();
        String admin = adminToken();
        String before = SignedJWT.parse(admin).getHeader().getKeyID();
        HttpResponse<String> rotated = browser.postJson(baseUrl() + "/admin/api/keys/rotate", "{}", "Authorization", "Bearer " + admin);
        assertEquals(200, rotated.statusCode(), rotated.body());
        String after = (String) Browser.json(rotated).get("kid");
        assertNotEquals(before, after);
        String jwks = browser.get(issuer() + "/jwks").body();
        assertTrue(jwks.contains(before) && jwks.contains(after), jwks);
        assertEquals(200, browser.get(fhirBase() + "/Patient", "Authorization", "Bearer " + admin).statusCode(),
                "a token signed before the rotation is still accepted");
        assertEquals(after, SignedJWT.parse(adminToken()).getHeader().getKeyID(), "new tokens are signed with the new key");
    }
}
