package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.AuthorizationFlow;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.platform.BastionSettings;

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–3): ends the session, returns to a registered URI. */
@Path("logout")
public class LogoutResource {

    @EJB
    AuthorizationFlow flow;

    @Inject
    FlowSteps steps;

    @Inject
    Pages pages;

    @Inject
    BastionSettings settings;

    @Context
    HttpHeaders headers;

    @GET
    public Response get(@QueryParam("id_token_hint") String idTokenHint, @QueryParam("client_id") String clientId,
                        @QueryParam("post_logout_redirect_uri") String redirectUri, @QueryParam("state") String state,
                        @QueryParam("ui_locales") String uiLocales) {
        AuthorizationFlow.Logout logout = flow.logout(BrowserCookies.value(headers, BrowserCookies.SESSION), idTokenHint,
                clientId, redirectUri, state);
        Response.ResponseBuilder response;
        if (logout.errorKey() != null) {
            response = steps.error(400, new Message(logout.errorKey(), logout.args().toArray()), steps.locale(uiLocales, headers));
        } else if (logout.redirect() != null) {
            response = Response.seeOther(logout.redirect()).cacheControl(OAuthResponses.noStore());
        } else {
            response = PageResponses.html(200, pages.loggedOut(steps.locale(uiLocales, headers)), pages);
        }
        return response.cookie(BrowserCookies.clearSession(settings)).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(@FormParam("id_token_hint") String idTokenHint, @FormParam("client_id") String clientId,
                         @FormParam("post_logout_redirect_uri") String redirectUri, @FormParam("state") String state,
                         @FormParam("ui_locales") String uiLocales) {
        return get(idTokenHint, clientId, redirectUri, state, uiLocales);
    }
}
