package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.TokenEndpoint;

/** The token endpoint (RFC 6749 §3.2). */
@Path("token")
public class TokenResource {

    @EJB
    TokenEndpoint endpoint;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(String form) throws OAuthException {
        HTTPRequest http = NimbusRequests.post(uri.getRequestUri(), headers, form);
        TokenRequest request;
        try {
            request = TokenRequest.parse(http);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            if (URLUtils.parseParameters(http.getBody()).containsKey("client_assertion")) {
                error = OAuth2Error.INVALID_CLIENT;
            }
            throw new OAuthException(error, e.getMessage());
        }
        return OAuthResponses.ok(endpoint.token(request).toJSONObject());
    }
}
