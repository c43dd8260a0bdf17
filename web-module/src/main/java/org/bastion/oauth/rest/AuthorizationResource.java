package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.oauth.application.AuthorizationFlow;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.platform.BastionSettings;

/** The authorization endpoint (RFC 6749 §3.1), by GET and by form POST (OpenID Connect Core §3.1.2.1). */
@Path("authorize")
public class AuthorizationResource {

    /** The parameters are stored with the flow; a request this long is no legitimate one. */
    private static final int MAX_QUERY_LENGTH = 8000;

    @EJB
    AuthorizationFlow flow;

    @Inject
    FlowSteps steps;

    @Inject
    BastionSettings settings;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @Context
    jakarta.servlet.http.HttpServletRequest servletRequest;

    @GET
    public Response get() {
        return start(uri.getRequestUri().getRawQuery());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(String form) {
        return start(form);
    }

    private Response start(String query) {
        if (query != null && query.length() > MAX_QUERY_LENGTH) {
            return steps.error(400, new Message("error.request_too_long", MAX_QUERY_LENGTH), steps.locale(null, headers)).build();
        }
        String csrf = BrowserCookies.csrf(headers);
        return steps.respond(flow.start(query == null ? "" : query, BrowserCookies.value(headers, BrowserCookies.SESSION), csrf,
                servletRequest.getRemoteAddr()), headers)
                .cookie(BrowserCookies.csrfCookie(csrf, settings))
                .build();
    }
}
