package org.bastion.oauth.rest;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.MultivaluedMapUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.bastion.oauth.application.OAuthException;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes what the token endpoint does with a request before any grant is looked at
 * (docs/testing.md): a form POST with any body and any Authorization header becomes a Nimbus
 * TokenRequest, or a refusal the endpoint answers as an RFC 6749 §5.2 error (an OAuthException,
 * with Nimbus's own error where it has one); nothing else escapes. The client authentication the
 * introspection and revocation endpoints read from the same request is fuzzed alongside. An input
 * is three parts, one a line: the Authorization header (none when empty), the Content-Type's
 * parameters after application/x-www-form-urlencoded (such as ;charset=UTF-8), and the body.
 */
class TokenRequestFuzzTest {

    private static final URI TOKEN_ENDPOINT = URI.create("https://bastion.example.org/oauth2/token");

    @DictionaryEntries({"grant_type=", "authorization_code", "refresh_token", "client_credentials",
            "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", "code=", "redirect_uri=", "code_verifier=", "refresh_token=",
            "scope=", "client_id=", "client_secret=", "client_assertion=", "assertion=", "resource=",
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", "Basic ", "Bearer ", "DPoP ", "%",
            "&", ";charset=", "eyJhbGciOiJSUzM4NCJ9."})
    @FuzzTest
    void anyFormIsATokenRequestOrARefusal(byte[] input) {
        String[] parts = new String(input, StandardCharsets.UTF_8).split("\n", 3);
        String authorization = parts[0].isEmpty() ? null : parts[0];
        String contentType = MediaType.APPLICATION_FORM_URLENCODED + (parts.length > 1 ? parts[1] : "");
        String form = parts.length > 2 ? parts[2] : "";
        try {
            HTTPRequest http = NimbusRequests.post(TOKEN_ENDPOINT, headers(contentType, authorization), form);
            NimbusRequests.publicClientId(http);
            try {
                NimbusRequests.clientAuthentication(http);
            } catch (OAuthException malformed) {
                // invalid_client, and the token endpoint is still to be tried
            }
            parse(http);
        } catch (OAuthException e) {
            // a refusal: RFC 6749 §5.2 JSON
        }
    }

    /** TokenResource's steps: the parameters the audit trail records, then the parsed request and its client. */
    private static void parse(HTTPRequest http) throws OAuthException {
        Map<String, List<String>> params = URLUtils.parseParameters(http.getBody());
        MultivaluedMapUtils.getFirstValue(params, "grant_type");
        MultivaluedMapUtils.getFirstValue(params, "client_id");
        TokenRequest request = NimbusRequests.tokenRequest(http);
        ClientAuthentication authentication = request.getClientAuthentication();
        if (authentication != null) {
            authentication.getClientID().getValue();
        } else if (request.getClientID() != null) {
            request.getClientID().getValue();
        }
    }

    /** The request headers JAX-RS would hand the resource: only getHeaderString is used. */
    private static HttpHeaders headers(String contentType, String authorization) {
        Map<String, String> values = authorization == null ? Map.of(HttpHeaders.CONTENT_TYPE, contentType)
                : Map.of(HttpHeaders.CONTENT_TYPE, contentType, HttpHeaders.AUTHORIZATION, authorization);
        return (HttpHeaders) Proxy.newProxyInstance(HttpHeaders.class.getClassLoader(), new Class<?>[]{HttpHeaders.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getHeaderString")) {
                        return values.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
