package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import org.bastion.oauth.application.OAuthException;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NimbusRequestsTest {

    private static HTTPRequest form(String body) {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, URI.create("https://bastion.example.org/oauth2/token"));
        request.setHeader("Content-Type", "application/x-www-form-urlencoded");
        request.setBody(body);
        return request;
    }

    private static OAuthException refusal(String body) {
        return assertThrows(OAuthException.class, () -> NimbusRequests.tokenRequest(form(body)), body);
    }

    @Test
    void aClientCredentialsRequestIsParsed() throws OAuthException {
        TokenRequest request = NimbusRequests.tokenRequest(form("grant_type=client_credentials&client_id=batch&client_secret=s3cret"));
        assertEquals(new ClientID("batch"), request.getClientAuthentication().getClientID());
    }

    @Test
    void aRepeatedParameterIsInvalidRequestWhateverItsName() {
        for (String body : new String[]{"grant_type=client_credentials&client_id=a&client_secret=b&scope=x&scope=y",
                "grant_type=client_credentials&client_id=a&client_secret=b&x%22=1&x%22=2",
                "grant_type=client_credentials&client_id=a&client_secret=b&%C3%A9=1&%C3%A9=2"}) {
            OAuthException e = refusal(body);
            assertEquals("invalid_request", e.error().getCode(), body);
            assertEquals(400, e.error().getHTTPStatusCode(), body);
        }
    }

    @Test
    void aMalformedClientAssertionIsInvalidClient() {
        OAuthException e = refusal("grant_type=client_credentials&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=not-a-jwt");
        assertEquals("invalid_client", e.error().getCode());
    }

    @Test
    void anEmptyClientIdIsNoClientId() {
        assertNull(NimbusRequests.publicClientId(form("token=t&client_id=")));
        assertNull(NimbusRequests.publicClientId(form("token=t")));
        assertEquals(new ClientID("growth-chart"), NimbusRequests.publicClientId(form("token=t&client_id=growth-chart")));
    }
}
