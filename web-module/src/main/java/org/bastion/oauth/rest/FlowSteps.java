package org.bastion.oauth.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.AuthorizationStep;
import org.bastion.oauth.rest.pages.ErrorPage;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Turns a step of the authorization flow into what the browser gets: a redirect or a page. */
@ApplicationScoped
public class FlowSteps {

    @Inject
    Pages pages;

    @Inject
    BastionSettings settings;

    public Response.ResponseBuilder respond(AuthorizationStep step, HttpHeaders headers) {
        if (step instanceof AuthorizationStep.RedirectToClient redirect) {
            return seeOther(redirect.location());
        }
        if (step instanceof AuthorizationStep.ShowLogin login) {
            return seeOther(page("login", login.requestId()));
        }
        if (step instanceof AuthorizationStep.ShowConsent consent) {
            return seeOther(page("consent", consent.requestId()));
        }
        AuthorizationStep.ShowError error = (AuthorizationStep.ShowError) step;
        if ("error.too_many_requests".equals(error.messageKey())) {
            return error(429, new Message(error.messageKey(), error.args().toArray()), locale(null, headers))
                    .header("Retry-After", error.args().get(0));
        }
        return error(400, new Message(error.messageKey(), error.args().toArray()), locale(null, headers));
    }

    public Response.ResponseBuilder error(int status, Message detail, Locale locale) {
        return PageResponses.html(status, pages.error(locale, new ErrorPage(new Message("error.title.invalid_request"), detail)), pages);
    }

    public Locale locale(String uiLocales, HttpHeaders headers) {
        return pages.locale(uiLocales, headers.getAcceptableLanguages());
    }

    public String action(String page) {
        return settings.issuer() + "/" + page;
    }

    private URI page(String page, String requestId) {
        return URI.create(action(page) + "?request=" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
    }

    private static Response.ResponseBuilder seeOther(URI location) {
        return Response.seeOther(location).cacheControl(OAuthResponses.noStore());
    }
}
