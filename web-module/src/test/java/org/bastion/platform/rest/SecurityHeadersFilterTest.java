package org.bastion.platform.rest;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecurityHeadersFilterTest {

    private static final String HTTP = "http://localhost:8080";
    private static final String HTTPS = "https://bastion.example.org";
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";
    private static final Map<String, String> BROWSER_APP = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", POLICY,
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin");
    private static final Map<String, String> NOT_STORED = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store");
    private static final Map<String, String> NOSNIFF_ONLY = Map.of("X-Content-Type-Options", "nosniff");

    @Test
    void theConsoleAndTheSampleAppGetThePolicyAndNoFraming() {
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/admin/", HTTP));
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/admin/index.html", HTTP));
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/admin/pages/clients.js", HTTP));
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/admin", HTTP));
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/apps/patient-browser/index.html", HTTP));
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/apps/patient-browser/app.js", HTTP));
    }

    @Test
    void fhirOAuthAndAdminApiAnswersAreNotStored() {
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/fhir/r4/Patient/1", HTTP));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/fhir/r4/metadata", HTTP));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/oauth2/token", HTTP));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/oauth2/userinfo", HTTP));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/admin/api", HTTP));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/admin/api/settings", HTTP));
    }

    @Test
    void publicKeysAndDiscoveryDocumentsMayBeCached() {
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/oauth2/jwks", HTTP));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/oauth2/.well-known/openid-configuration", HTTP));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/.well-known/oauth-authorization-server/oauth2", HTTP));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/fhir/r4/.well-known/smart-configuration", HTTP));
    }

    @Test
    void lookalikePathsAreNotTheConsoleNorTheApis() {
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/administrator/index.html", HTTP));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/applications/x.js", HTTP));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/fhirish", HTTP));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/oauth2/jwks-extra", HTTP));
        assertEquals(BROWSER_APP, SecurityHeadersFilter.headers("/admin/apidocs.html", HTTP));
    }

    @Test
    void strictTransportSecurityOnEveryResponseOnlyUnderAnHttpsBaseUrl() {
        String hsts = "max-age=31536000; includeSubDomains";
        assertEquals(Map.of("X-Content-Type-Options", "nosniff", "Strict-Transport-Security", hsts),
                SecurityHeadersFilter.headers("/oauth2/jwks", HTTPS));
        assertEquals(hsts, SecurityHeadersFilter.headers("/admin/", HTTPS).get("Strict-Transport-Security"));
        assertEquals(hsts, SecurityHeadersFilter.headers("/fhir/r4/Patient", HTTPS).get("Strict-Transport-Security"));
        assertEquals(hsts, SecurityHeadersFilter.headers("/", "HTTPS://BASTION.EXAMPLE.ORG").get("Strict-Transport-Security"));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/", HTTP));
        assertEquals(NOSNIFF_ONLY, SecurityHeadersFilter.headers("/", "http://https.example.org"));
        assertEquals(NOT_STORED, SecurityHeadersFilter.headers("/fhir/r4/Patient", "http://bastion.example.org"));
    }
}
