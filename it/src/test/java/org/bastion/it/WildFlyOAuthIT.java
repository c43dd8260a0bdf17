package org.bastion.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization server on a managed WildFly with H2, tokens signed RS256 (the default); and
 * a real Keycloak as the external identity provider whose tokens the FHIR API learns to trust.
 */
@ExtendWith({TestSigningKey.class, KeycloakServer.class, ArquillianExtension.class})
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
