package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
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
import org.bastion.oauth.application.ClientAuthenticator;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.TokenIntrospection;
import org.bastion.oauth.domain.OAuthClient;

/** Token introspection (RFC 7662) and revocation (RFC 7009), both for authenticated clients. */
@Path("")
public class IntrospectionResource {

    @EJB
    ClientAuthenticator authenticator;

    @EJB
    TokenIntrospection introspection;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @jakarta.inject.Inject
    org.bastion.audit.rest.AuditNote audit;

    @POST
    @Path("introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(String form) throws OAuthException {
        HTTPRequest http = NimbusRequests.post(uri.getRequestUri(), headers, form);
        OAuthClient caller = authenticator.authenticate(NimbusRequests.clientAuthentication(http), NimbusRequests.publicClientId(http));
        java.util.Map<String, Object> answer = introspection.introspect(NimbusRequests.param(http, "token"), caller);
        audit.client(caller.clientId()).subject(answer.get("sub") instanceof String s ? s : null)
                .token(answer.get("jti") instanceof String j ? j : null).detail("active " + answer.get("active"));
        return OAuthResponses.ok(answer);
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(String form) throws OAuthException {
        HTTPRequest http = NimbusRequests.post(uri.getRequestUri(), headers, form);
        OAuthClient caller = authenticator.authenticate(NimbusRequests.clientAuthentication(http), NimbusRequests.publicClientId(http));
        audit.client(caller.clientId());
        introspection.revoke(NimbusRequests.param(http, "token"), caller);
        return Response.ok().cacheControl(OAuthResponses.noStore()).build();
    }
}
