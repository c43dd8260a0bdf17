package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import jakarta.ws.rs.core.HttpHeaders;
import org.bastion.oauth.application.OAuthException;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Hands a form POST to Nimbus's parsers as the HTTP request it was. */
final class NimbusRequests {

    /** Far above any legitimate form; a bigger body is refused before it is parsed. */
    static final int MAX_FORM_LENGTH = 64 * 1024;

    private NimbusRequests() {
    }

    static HTTPRequest post(URI uri, HttpHeaders headers, String form) throws OAuthException {
        if (form != null && form.length() > MAX_FORM_LENGTH) {
            throw OAuthException.invalidRequest("Request body is larger than " + MAX_FORM_LENGTH + " characters");
        }
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, uri);
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            request.setHeader(HttpHeaders.CONTENT_TYPE, contentType);
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        request.setBody(form == null ? "" : form);
        return request;
    }

    /**
     * The token request, or the refusal Nimbus words; invalid_client when the client sent an
     * assertion (RFC 7521 §4.2.1). Nimbus throws IllegalArgumentException when it cannot word its
     * refusal in printable ASCII (RFC 6749 §5.2), as for a repeated parameter with a name like x"
     * or é: invalid_request all the same.
     */
    static TokenRequest tokenRequest(HTTPRequest request) throws OAuthException {
        try {
            return TokenRequest.parse(request);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            if (URLUtils.parseParameters(request.getBody()).containsKey("client_assertion")) {
                error = OAuth2Error.INVALID_CLIENT;
            }
            throw new OAuthException(error, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("The request is malformed: a parameter appears more than once (RFC 6749 §3.2)"
                    + " or has a name outside printable ASCII");
        }
    }

    /**
     * The client's authentication, or for a public client just its client_id. A malformed
     * client assertion is the client's failure to authenticate: invalid_client (RFC 7521 §4.2.1).
     */
    static ClientAuthentication clientAuthentication(HTTPRequest request) throws OAuthException {
        try {
            return ClientAuthentication.parse(request);
        } catch (ParseException e) {
            throw OAuthException.invalidClient("Client authentication is malformed: " + e.getMessage());
        }
    }

    /** The client_id a public client sends, or null when there is none (an empty one is none: ClientID refuses it). */
    static ClientID publicClientId(HTTPRequest request) {
        List<String> values = URLUtils.parseParameters(request.getBody()).get("client_id");
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : new ClientID(values.get(0));
    }

    static String param(HTTPRequest request, String name) throws OAuthException {
        Map<String, List<String>> params = URLUtils.parseParameters(request.getBody());
        List<String> values = params.get(name);
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            throw OAuthException.invalidRequest("Parameter " + name + " is missing");
        }
        if (values.size() > 1) {
            throw OAuthException.invalidRequest("Parameter " + name + " is repeated");
        }
        return values.get(0);
    }
}
