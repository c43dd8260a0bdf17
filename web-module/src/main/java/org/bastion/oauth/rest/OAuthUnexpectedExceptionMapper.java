package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Nothing at /oauth2 answers with a container's error page: an HTTP-level refusal (unknown path,
 * wrong method or media type) keeps its status as RFC 6749 §5.2 JSON, and anything unexpected is
 * a server_error whose incident id the log repeats, without internals in the response.
 */
@Provider
public class OAuthUnexpectedExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(OAuthUnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException web && web.getResponse() != null && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return OAuthResponses.error(new ErrorObject(OAuth2Error.INVALID_REQUEST.getCode(),
                    "HTTP " + status + ": " + (web.getMessage() == null ? "the request cannot be served" : web.getMessage()), status));
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Incident " + incident, e);
        return OAuthResponses.error(new ErrorObject(OAuth2Error.SERVER_ERROR.getCode(),
                "Internal error; the server log has the details under incident " + incident, 500));
    }
}
