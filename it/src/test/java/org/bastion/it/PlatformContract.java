package org.bastion.it;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every Bastion deployment must answer, whatever the server and database: discovery,
 * JWKS, the CapabilityStatement, and a FHIR API that accepts Bastion's tokens and explains
 * each refusal. Each subclass runs it against one real deployment.
 */
abstract class PlatformContract {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** Where the deployment under test answers, e.g. http://localhost:8180. */
    abstract String baseUrl();

    String issuer() {
        return baseUrl() + "/oauth2";
    }

    String fhirBase() {
        return baseUrl() + "/fhir/r4";
    }

    @Test
    @SuppressWarnings("unchecked")
    void openApiDocumentDescribesEveryAdminCall() throws ParseException {
        HttpResponse<String> response = Http.get(baseUrl() + "/openapi", "Accept", "application/json");
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> document = JSONObjectUtils.parse(response.body());
        assertEquals("Bastion admin API", ((Map<String, Object>) document.get("info")).get("title"));
        Map<String, Object> schemes = (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("securitySchemes");
        assertEquals("bearer", ((Map<String, Object>) schemes.get("bastion")).get("scheme"));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) (Map<String, ?>) document.get("paths");
        for (String path : java.util.List.of("/admin/api/settings", "/admin/api/clients", "/admin/api/clients/{id}/secret", "/admin/api/clients/{id}/disable",
                "/admin/api/users/{id}/password", "/admin/api/consents/{user}/{client}", "/admin/api/tokens/{jti}/revoke", "/admin/api/scopes",
                "/admin/api/keys/rotate", "/admin/api/keys/{kid}/retire", "/admin/api/issuers/test", "/admin/api/initial-access-tokens/{id}",
                "/admin/api/launches", "/admin/api/audit", "/admin/api/housekeeping", "/admin/api/housekeeping/run", "/admin/api/bulk-jobs",
                "/admin/api/bulk-jobs/{id}", "/admin/api/bulk-jobs/imports", "/admin/api/bulk-jobs/{id}/errors.ndjson",
                "/admin/api/api-keys", "/admin/api/api-keys/{id}", "/admin/api/packages", "/admin/api/packages/{name}")) {
            assertTrue(paths.containsKey(path), path + " is not documented: " + paths.keySet());
        }
        int operations = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            assertTrue(path.getKey().startsWith("/admin/api/"), "only the admin API is described here: " + path.getKey());
            for (String method : java.util.List.of("get", "put", "post", "delete")) {
                Map<String, Object> operation = (Map<String, Object>) path.getValue().get(method);
                if (operation == null) {
                    continue;
                }
                operations++;
                String what = method.toUpperCase() + " " + path.getKey();
                assertTrue(operation.get("summary") instanceof String s && !s.isBlank(), what + " has no summary");
                assertFalse(((java.util.List<?>) operation.get("tags")).isEmpty(), what + " has no tag");
                Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
                assertTrue(responses.containsKey("401") && responses.containsKey("403"), what + " does not say how it refuses: " + responses.keySet());
                assertTrue(responses.keySet().stream().anyMatch(code -> code.startsWith("2")), what + " has no success answer: " + responses.keySet());
            }
        }
        assertEquals(52, operations, "every admin call, each once");
        Map<String, Object> create = (Map<String, Object>) paths.get("/admin/api/clients").get("post");
        assertEquals("#/components/responses/BadInput", ((Map<String, Object>) ((Map<String, Object>) create.get("responses")).get("400")).get("$ref"));
    }

    @Test
    void discoveryNamesTheIssuerAndItsJwks() throws ParseException {
        HttpResponse<String> response = Http.get(issuer() + "/.well-known/openid-configuration");
        assertEquals(200, response.statusCode());
        Map<String, Object> metadata = JSONObjectUtils.parse(response.body());
        assertEquals(issuer(), metadata.get("issuer"));
        assertEquals(issuer() + "/jwks", metadata.get("jwks_uri"));
    }

    @Test
    void rfc8414MetadataIsServedAtTheIssuersWellKnownPath() throws ParseException {
        HttpResponse<String> response = Http.get(baseUrl() + "/.well-known/oauth-authorization-server/oauth2");
        assertEquals(200, response.statusCode());
        assertEquals(issuer(), JSONObjectUtils.parse(response.body()).get("issuer"));
    }

    @Test
    void jwksPublishesThePublicHalfOfTheSigningKey() throws ParseException {
        HttpResponse<String> response = Http.get(issuer() + "/jwks");
        assertEquals(200, response.statusCode());
        JWKSet jwks = JWKSet.parse(response.body());
        RSAKey published = jwks.getKeyByKeyId(expectedSigningKey().getKeyID()).toRSAKey();
        assertTrue(jwks.getKeys().stream().noneMatch(k -> k.isPrivate()), "only public keys");
        assertEquals(expectedSigningKey().getKeyID(), published.getKeyID());
        assertEquals(expectedSigningKey().getModulus(), published.getModulus());
        assertFalse(published.isPrivate(), "the JWKS must not leak the private key");
        assertFalse(response.body().contains("\"d\""), "no private exponent in the document");
    }

    /** The key the deployment signs with: the imported test key, unless a subclass generated its own. */
    RSAKey expectedSigningKey() {
        return TestSigningKey.get();
    }

    @Test
    void metadataIsAnR4CapabilityStatementWithoutAToken() {
        HttpResponse<String> response = Http.get(fhirBase() + "/metadata");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+json"));
        CapabilityStatement cs = FHIR.newJsonParser().parseResource(CapabilityStatement.class, response.body());
        assertEquals(FHIRVersion._4_0_1, cs.getFhirVersion());
        assertEquals("Bastion", cs.getSoftware().getName());
        assertEquals(fhirBase(), cs.getImplementation().getUrl());
    }

    @Test
    void metadataIsXmlByAcceptHeaderAndByFormatParameter() {
        HttpResponse<String> byAccept = Http.get(fhirBase() + "/metadata", "Accept", "application/fhir+xml");
        assertEquals(200, byAccept.statusCode());
        assertTrue(byAccept.headers().firstValue("Content-Type").orElse("").startsWith("application/fhir+xml"));
        assertEquals(FHIRVersion._4_0_1,
                FHIR.newXmlParser().parseResource(CapabilityStatement.class, byAccept.body()).getFhirVersion());

        HttpResponse<String> byFormat = Http.get(fhirBase() + "/metadata?_format=xml", "Accept", "application/fhir+json");
        assertTrue(byFormat.body().startsWith("<CapabilityStatement"), byFormat.body());
    }

    @Test
    void searchValuesWithCharactersClientsLeaveUnencodedAreAcceptedAsTyped() throws Exception {
        String token = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        String value = java.util.UUID.randomUUID().toString();
        String family = "Raw[1]{" + value.substring(0, 8) + "}^é";
        HttpResponse<String> created = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhirBase() + "/Patient"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:raw\",\"value\":\""
                        + value + "\"}],\"name\":[{\"family\":\"" + family + "\"}]}")));
        assertEquals(201, created.statusCode(), created.body());
        String id = (String) JSONObjectUtils.parse(created.body()).get("id");
        // as typed in curl or Postman: the | of system|code and the brackets and braces of the name not percent-encoded
        // and beside escapes the client did send: each keeps its meaning (a %2B is a +, a %7C a |)
        for (String query : java.util.List.of("identifier=urn:raw|" + value, "family=" + family, "identifier=urn:raw|" + value + "&family=" + family,
                "identifier=urn:raw|" + value + "&_format=application/fhir%2Bjson", "identifier=urn%3Araw%7C" + value + "&family=" + family,
                "family=" + family.replace("[", "%5B") + "&_count=1", "family=" + family.replace("é", "%C3%A9"))) {
            Http.Raw answer = Http.raw(baseUrl(), "/fhir/r4/Patient?" + query, "Authorization", "Bearer " + token, "Accept", "application/fhir+json");
            assertEquals(200, answer.status(), query + ":\n" + answer.head() + "\n" + answer.body());
            Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, answer.body());
            assertEquals(1, bundle.getEntry().size(), query + " finds the patient: " + answer.body());
            assertEquals(id, bundle.getEntryFirstRep().getResource().getIdElement().getIdPart());
        }
        Http.Raw none = Http.raw(baseUrl(), "/fhir/r4/Patient?identifier=urn:raw|" + value + "x", "Authorization", "Bearer " + token,
                "Accept", "application/fhir+json");
        assertEquals(200, none.status(), none.body());
        assertTrue(FHIR.newJsonParser().parseResource(Bundle.class, none.body()).getEntry().isEmpty(), "another value finds nothing: " + none.body());
        // a raw | in the path is an id no resource has: a FHIR refusal, not a server error
        Http.Raw path = Http.raw(baseUrl(), "/fhir/r4/Patient/" + id + "|x", "Authorization", "Bearer " + token, "Accept", "application/fhir+json");
        assertTrue(path.status() == 400 || path.status() == 404, path.head() + "\n" + path.body());
        assertTrue(path.body().contains("\"OperationOutcome\""), path.body());
    }

    @Test
    void discoveryDocumentsAreReadableFromAnyOrigin() {
        String origin = "https://app-" + java.util.UUID.randomUUID().toString().substring(0, 8) + ".example";
        for (String url : java.util.List.of(fhirBase() + "/.well-known/smart-configuration", fhirBase() + "/metadata",
                issuer() + "/.well-known/openid-configuration", baseUrl() + "/.well-known/oauth-authorization-server/oauth2", issuer() + "/jwks")) {
            HttpResponse<String> read = Http.get(url, "Origin", origin, "Accept", "application/json");
            assertEquals(200, read.statusCode(), url + ": " + read.body());
            assertEquals("*", read.headers().firstValue("Access-Control-Allow-Origin").orElse(""), url + " is open to every origin: " + read.headers());
            assertFalse(read.headers().firstValue("Access-Control-Allow-Credentials").isPresent(), "without credentials");
            HttpResponse<String> preflight = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Origin", origin)
                    .header("Access-Control-Request-Method", "GET").header("Access-Control-Request-Headers", "accept"));
            assertTrue(preflight.statusCode() == 200 || preflight.statusCode() == 204, url + " preflight: " + preflight.statusCode() + " " + preflight.body());
            assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""), url + " preflight: " + preflight.headers());
        }
        HttpResponse<String> search = Http.get(fhirBase() + "/Patient", "Origin", origin,
                "Authorization", "Bearer " + Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()));
        assertEquals(200, search.statusCode(), search.body());
        assertFalse(search.headers().firstValue("Access-Control-Allow-Origin").isPresent(),
                "the FHIR API stays closed to an origin no registered client trusts: " + search.headers());
    }

    @Test
    void unsupportedFormatIsRefusedWithAnOperationOutcome() {
        HttpResponse<String> response = Http.get(fhirBase() + "/metadata?_format=text/csv");
        assertEquals(406, response.statusCode());
        assertTrue(diagnostics(response).contains("_format 'text/csv' is not supported"), response.body());
    }

    @Test
    void patientSearchWithBastionsTokenIsASearchset() {
        HttpResponse<String> response = Http.getWithToken(fhirBase() + "/Patient",
                Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()));
        assertEquals(200, response.statusCode(), response.body());
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertEquals(Bundle.BundleType.SEARCHSET, bundle.getType());
        assertEquals(fhirBase() + "/Patient", bundle.getLink("self").getUrl());
    }

    @Test
    void missingTokenIsRefusedWithAReason() {
        assertRefused(Http.get(fhirBase() + "/Patient"), "No access token");
    }

    @Test
    void otherAuthorizationSchemeIsRefusedWithAReason() {
        assertRefused(Http.get(fhirBase() + "/Patient", "Authorization", "Basic YWRtaW46YWRtaW4="),
                "Authorization scheme 'Basic' is not accepted");
    }

    @Test
    void expiredTokenIsRefusedAsExpired() {
        JWTClaimsSet expired = Tokens.claims(baseUrl()).expirationTime(Date.from(Instant.now().minusSeconds(600))).build();
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.sign(expired, TestSigningKey.get())), "Token expired at");
    }

    @Test
    void tokenOfAnotherIssuerIsRefusedNamingTheExpectedIssuer() {
        JWTClaimsSet foreign = Tokens.claims(baseUrl()).issuer("https://idp.example.org/oauth2").build();
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.sign(foreign, TestSigningKey.get())),
                "Token issuer 'https://idp.example.org/oauth2' is not trusted: it is neither this server ('" + issuer()
                        + "') nor a registered external issuer");
    }

    @Test
    void tokenForAnotherAudienceIsRefusedNamingTheExpectedAudience() {
        JWTClaimsSet elsewhere = Tokens.claims(baseUrl()).audience("https://other.example.org/fhir").build();
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.sign(elsewhere, TestSigningKey.get())),
                "expected '" + fhirBase() + "'");
    }

    @Test
    void tokenSignedByAnUnknownKeyIsRefused() {
        RSAKey stranger = TestSigningKey.newKey();
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.sign(Tokens.claims(baseUrl()).build(), stranger)),
                "Token was signed with key '" + stranger.getKeyID() + "', which is not in " + issuer() + "/jwks");
    }

    @Test
    void tokenWithAForgedSignatureIsRefused() {
        String genuine = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get());
        String otherClaims = Tokens.sign(Tokens.claims(baseUrl()).subject("someone-else").build(), TestSigningKey.newKey());
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.withForeignSignature(genuine, otherClaims)),
                "Token signature does not match key");
    }

    @Test
    void unsignedTokenIsRefused() {
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.unsigned(Tokens.claims(baseUrl()).build())),
                "Token is not a signed JWT");
    }

    @Test
    void hmacTokenKeyedWithThePublicKeyIsRefused() {
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", Tokens.hmacWithPublicKey(Tokens.claims(baseUrl()).build(), TestSigningKey.get())),
                "Token algorithm HS256 is not accepted");
    }

    @Test
    void idTokenCannotBeUsedAsAnAccessToken() {
        String idToken = Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get(), JOSEObjectType.JWT);
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", idToken), "an access token must have typ at+jwt");
    }

    @Test
    void garbageTokenIsRefusedWithAReason() {
        assertRefused(Http.getWithToken(fhirBase() + "/Patient", "eyJhbGciOiJSUzI1NiJ9.%%%.***"), "Token is not a signed JWT");
    }

    @Test
    void oversizedTokenIsRefusedWithoutAServerError() {
        String huge = "eyJhbGciOiJSUzI1NiJ9." + "A".repeat(60_000) + ".AAAA";
        HttpResponse<String> response = Http.getWithToken(fhirBase() + "/Patient", huge);
        // The container may refuse a header this large itself (400/431); if it reaches Bastion, the 401 says why.
        if (response.statusCode() == 401) {
            assertRefused(response, "at most 16384 are accepted");
        } else {
            assertTrue(response.statusCode() == 400 || response.statusCode() == 431,
                    "got " + response.statusCode() + ": " + response.body());
        }
    }

    @Test
    void unknownResourceTypeIsNotFoundWithAnOperationOutcome() {
        HttpResponse<String> response = Http.getWithToken(fhirBase() + "/Spaceship",
                Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get()));
        assertEquals(404, response.statusCode());
        assertEquals("Unknown resource type 'Spaceship': not a FHIR R4 resource type", diagnostics(response));
    }

    private static void assertRefused(HttpResponse<String> response, String reason) {
        assertEquals(401, response.statusCode(), response.body());
        String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer realm="), challenge);
        assertTrue(challenge.contains("error=\"invalid_token\""), challenge);
        assertTrue(challenge.contains("error_description=\"") && challenge.contains(reason.replace('"', '\'')),
                "challenge should say '" + reason + "': " + challenge);
        assertTrue(diagnostics(response).contains(reason), response.body());
    }

    private static String diagnostics(HttpResponse<String> response) {
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        return outcome.getIssueFirstRep().getDiagnostics();
    }
}
