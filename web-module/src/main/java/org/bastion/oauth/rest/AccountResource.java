package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.audit.rest.AuditNote;
import org.bastion.oauth.application.AuthorizationFlow;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.Grants;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.rest.pages.AccountPage;
import org.bastion.oauth.rest.pages.LoginPage;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * "My apps": a signed-in user sees the apps they allowed (scopes, patient, when, last use) and
 * revokes any of them, which withdraws the consent and revokes the app's tokens for the user. The
 * page uses the single sign-on session of the authorization flows; without one it asks to sign in.
 * Its forms carry the browser's anti-forgery value ({@link FormGuard}).
 */
@Path("account")
public class AccountResource {

    @EJB
    AuthorizationFlow flow;

    @EJB
    Grants grants;

    @EJB
    ClientRegistry clients;

    @Inject
    FlowSteps steps;

    @Inject
    Pages pages;

    @Inject
    BastionSettings settings;

    @Inject
    AuditNote audit;

    @Context
    HttpHeaders headers;

    @Context
    HttpServletRequest servletRequest;

    @GET
    public Response page() {
        String revoked = BrowserCookies.revokedClient(headers);
        String csrf = BrowserCookies.csrf(headers);
        Optional<String> user = flow.signedInUser(BrowserCookies.value(headers, BrowserCookies.SESSION));
        if (user.isEmpty()) {
            return signInPage(200, csrf, null, null);
        }
        List<AccountPage.App> apps = grants.apps(user.get()).stream().map(app -> new AccountPage.App(app.consent().clientId(), app.clientName(),
                List.copyOf(app.consent().scopes()), app.patient(), app.consent().grantedAt(), app.lastUsed())).toList();
        // the app this browser has just revoked (its cookie, read once): a registered client's name, once it no longer holds the consent
        String revokedName = revoked == null || apps.stream().anyMatch(a -> a.clientId().equals(revoked)) ? null
                : clients.find(revoked).map(OAuthClient::name).orElse(null);
        AccountPage page = new AccountPage(steps.action("account"), steps.action("logout"), csrf, flow.username(user.get()), apps, revokedName);
        Response.ResponseBuilder answer = PageResponses.html(200, pages.account(locale(), page), pages).cookie(BrowserCookies.csrfCookie(csrf, settings));
        return (revoked == null ? answer : answer.cookie(BrowserCookies.clearRevoked(settings))).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("csrf") String csrf, @FormParam("username") String username, @FormParam("password") String password) {
        audit.action("account-sign-in");
        if (!FormGuard.genuine(csrf, headers)) {
            audit.subject(username).detail("the form's anti-forgery value did not match the browser's");
            return steps.error(403, new Message("error.csrf"), locale()).build();
        }
        AuthorizationFlow.LoginResult result = flow.signIn(username, password == null ? new char[0] : password.toCharArray(),
                servletRequest.getRemoteAddr());
        if (result.errorKey() != null) {
            audit.subject(username).detail(result.throttled() ? "throttled: too many failed sign-ins for this name or address"
                    : "wrong username or password");
            return signInPage(401, csrf, username, new Message(result.errorKey()));
        }
        audit.subject(result.userId()).detail("signed in to the account page as " + username);
        return Response.seeOther(URI.create(steps.action("account"))).cacheControl(OAuthResponses.noStore())
                .cookie(BrowserCookies.session(result.sessionId(), settings.sessionLifetime(), settings)).build();
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@FormParam("csrf") String csrf, @FormParam("client_id") String clientId) {
        audit.action("account-revoke").client(clientId);
        if (!FormGuard.genuine(csrf, headers)) {
            audit.detail("the form's anti-forgery value did not match the browser's");
            return steps.error(403, new Message("error.csrf"), locale()).build();
        }
        Optional<String> user = flow.signedInUser(BrowserCookies.value(headers, BrowserCookies.SESSION));
        if (user.isEmpty()) {
            audit.detail("no single sign-on session");
            return signInPage(401, csrf, null, new Message("account.signed_out"));
        }
        audit.subject(user.get());
        if (clientId == null || !grants.revokeConsent(user.get(), clientId)) {
            audit.detail("the user has no consent for this client");
            return steps.error(404, new Message("account.unknown_app"), locale()).build();
        }
        audit.detail("the user revoked the app's access: consent withdrawn, its tokens for the user revoked");
        return Response.seeOther(URI.create(steps.action("account"))).cacheControl(OAuthResponses.noStore())
                .cookie(BrowserCookies.revoked(clientId, settings)).build();
    }

    private Response signInPage(int status, String csrf, String username, Message error) {
        LoginPage page = new LoginPage(steps.action("account/login"), null, csrf, null, username, error);
        return PageResponses.html(status, pages.login(locale(), page), pages).cookie(BrowserCookies.csrfCookie(csrf, settings)).build();
    }

    private Locale locale() {
        return steps.locale(null, headers);
    }
}
