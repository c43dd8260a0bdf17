package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
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
import org.bastion.audit.rest.AuditNote;
import org.bastion.oauth.application.AuthorizationFlow;
import org.bastion.oauth.rest.pages.LoginPage;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.platform.BastionSettings;

import java.util.Locale;
import java.util.Optional;

/** The sign-in page of an authorization flow. */
@Path("login")
public class LoginResource {

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

    @Context
    HttpServletRequest servletRequest;

    @Inject
    AuditNote audit;

    @GET
    public Response page(@QueryParam("request") String requestId) {
        Optional<AuthorizationFlow.Request> request = flow.find(requestId);
        if (request.isEmpty()) {
            return expired();
        }
        return show(request.get(), null, null, 200);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("request") String requestId, @FormParam("csrf") String csrf,
                           @FormParam("username") String username, @FormParam("password") String password) {
        Optional<AuthorizationFlow.Request> found = flow.find(requestId);
        if (found.isEmpty()) {
            return expired();
        }
        AuthorizationFlow.Request request = found.get();
        if (!FormGuard.genuine(csrf, request, headers)) {
            return steps.error(403, new Message("error.csrf"), locale(request)).build();
        }
        AuthorizationFlow.LoginResult result = flow.login(request, username, password == null ? new char[0] : password.toCharArray(),
                servletRequest.getRemoteAddr());
        audit.client(request.client().clientId());
        if (result.errorKey() != null) {
            // the page says the same whatever went wrong; the audit trail tells the admin which it was
            audit.subject(username).detail(result.throttled() ? "throttled: too many failed sign-ins for this name or address"
                    : "wrong username or password");
            return show(request, username, new Message(result.errorKey()), 401);
        }
        audit.subject(result.userId()).detail("signed in as " + username);
        return steps.respond(result.step(), headers)
                .cookie(BrowserCookies.session(result.sessionId(), settings.sessionLifetime(), settings))
                .build();
    }

    private Response show(AuthorizationFlow.Request request, String username, Message error, int status) {
        LoginPage page = new LoginPage(steps.action("login"), request.pending().id(), request.pending().csrf(),
                request.client().name(), username, error);
        return PageResponses.html(status, pages.login(locale(request), page), pages).build();
    }

    private Locale locale(AuthorizationFlow.Request request) {
        return steps.locale(request.uiLocales(), headers);
    }

    private Response expired() {
        return steps.error(400, new Message("error.request_expired"), steps.locale(null, headers)).build();
    }
}
