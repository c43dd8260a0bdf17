package org.bastion.oauth.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.bastion.oauth.application.OAuthException;

/** An OAuth refusal as RFC 6749 §5.2 JSON with its status. */
@Provider
public class OAuthExceptionMapper implements ExceptionMapper<OAuthException> {

    @Override
    public Response toResponse(OAuthException exception) {
        return OAuthResponses.error(exception.error());
    }
}
