package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bastion.oauth.application.OAuthException;

/**
 * An OAuth refusal as RFC 6749 §5.2 JSON with its status. invalid_client is a 401 with a
 * Basic challenge only when the client tried the Authorization header; otherwise a 400, so a
 * client library reports the OAuth error rather than an authentication challenge.
 */
@Provider
public class OAuthExceptionMapper implements ExceptionMapper<OAuthException> {

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(OAuthException exception) {
        if (OAuth2Error.INVALID_CLIENT.getCode().equals(exception.error().getCode())
                && headers.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
            return OAuthResponses.error(exception.error().setHTTPStatusCode(400));
        }
        return OAuthResponses.error(exception.error());
    }
}
