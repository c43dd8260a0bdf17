package org.bastion.oauth.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.rest.pages.Pages;

/**
 * HTML pages of the flows: never cached, never framed (clickjacking), no script. Their policy is
 * theirs alone; nosniff (and HSTS) on every response is SecurityHeadersFilter's.
 */
final class PageResponses {

    private PageResponses() {
    }

    static Response.ResponseBuilder html(int status, String html, Pages pages) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .cacheControl(OAuthResponses.noStore())
                .header("Content-Security-Policy", pages.contentSecurityPolicy())
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin")
                .entity(html);
    }
}
