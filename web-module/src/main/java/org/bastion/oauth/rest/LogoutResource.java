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
import org.bastion.oauth.application.LogoutFlow;
import org.bastion.oauth.application.LogoutStep;
import org.bastion.oauth.rest.pages.LogoutPage;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.platform.BastionSettings;

import java.util.Locale;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–3): a request with a valid
 * id_token_hint signs out at once; any other asks the user on a page whose form (CSRF-checked)
 * signs out.
 */
@Path("logout")
public class LogoutResource {

    @EJB
    LogoutFlow flow;

    @Inject
    FlowSteps steps;

    @Inject
    Pages pages;

    @Inject
    BastionSettings settings;

    @Context
    HttpHeaders headers;

    @Inject
    org.bastion.audit.rest.AuditNote audit;

    @GET
    public Response get(@QueryParam("id_token_hint") String idTokenHint, @QueryParam("client_id") String clientId,
                        @QueryParam("post_logout_redirect_uri") String redirectUri, @QueryParam("state") String state,
                        @QueryParam("ui_locales") String uiLocales) {
        LogoutFlow.Request request = new LogoutFlow.Request(idTokenHint, clientId, redirectUri, state);
        return respond(flow.request(BrowserCookies.value(headers, BrowserCookies.SESSION), request), request, uiLocales);
    }

    /** §2: the client may post its request; the sign-out page posts the user's answer, with its csrf. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response post(@FormParam("id_token_hint") String idTokenHint, @FormParam("client_id") String clientId,
                         @FormParam("post_logout_redirect_uri") String redirectUri, @FormParam("state") String state,
                         @FormParam("ui_locales") String uiLocales, @FormParam("csrf") String csrf) {
        if (csrf == null) {
            return get(idTokenHint, clientId, redirectUri, state, uiLocales);
        }
        if (!FormGuard.genuine(csrf, headers)) {
            return steps.error(403, new Message("error.csrf"), steps.locale(uiLocales, headers)).build();
        }
        LogoutFlow.Request request = new LogoutFlow.Request(null, clientId, redirectUri, state);
        return respond(flow.confirm(BrowserCookies.value(headers, BrowserCookies.SESSION), request), request, uiLocales);
    }

    private Response respond(LogoutStep step, LogoutFlow.Request request, String uiLocales) {
        Locale locale = steps.locale(uiLocales, headers);
        audit.client(request.clientId());
        if (step instanceof LogoutStep.Refuse refuse) {
            audit.detail("refused: " + refuse.messageKey());
            return steps.error(400, new Message(refuse.messageKey(), refuse.args().toArray()), locale).build();
        }
        if (step instanceof LogoutStep.Confirm confirm) {
            audit.client(confirm.clientId()).detail("asked the user to confirm");
            String csrf = BrowserCookies.csrf(headers);
            LogoutPage page = new LogoutPage(steps.action("logout"), csrf, confirm.clientId(), confirm.clientName(),
                    request.postLogoutRedirectUri(), request.state(), uiLocales);
            return PageResponses.html(200, pages.logout(locale, page), pages).cookie(BrowserCookies.csrfCookie(csrf, settings)).build();
        }
        LogoutStep.SignedOut signedOut = (LogoutStep.SignedOut) step;
        audit.subject(signedOut.userId()).detail(signedOut.userId() == null ? "no session to end" : "signed out");
        Response.ResponseBuilder response = signedOut.redirect() != null
                ? Response.seeOther(signedOut.redirect()).cacheControl(OAuthResponses.noStore())
                : PageResponses.html(200, pages.loggedOut(locale), pages);
        return response.cookie(BrowserCookies.clearSession(settings)).build();
    }
}
