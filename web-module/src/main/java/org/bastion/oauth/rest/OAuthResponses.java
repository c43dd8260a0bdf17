package org.bastion.oauth.rest;

import com.nimbusds.oauth2.sdk.ErrorObject;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.minidev.json.JSONObject;
import org.bastion.oauth.application.OAuthException;

import java.util.Map;

/** JSON responses of the token-side endpoints: never cached (RFC 6749 §5.1), errors as RFC 6749 §5.2. */
final class OAuthResponses {

    private OAuthResponses() {
    }

    static Response json(int status, Map<String, ?> body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .cacheControl(noStore())
                .header("Pragma", "no-cache")
                .entity(new JSONObject(body).toJSONString())
                .build();
    }

    static Response ok(Map<String, ?> body) {
        return json(200, body);
    }

    static Response error(ErrorObject error) {
        int status = error.getHTTPStatusCode() > 0 ? error.getHTTPStatusCode() : 400;
        org.bastion.platform.rest.RequestMetrics.noteRefusal(error.getCode());
        Response.ResponseBuilder response = Response.fromResponse(json(status, error.toJSONObject()));
        if (status == 401 && "invalid_token".equals(error.getCode())) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\""
                    + OAuthException.printable(String.valueOf(error.getDescription())) + "\"");
        } else if (status == 401) {
            // RFC 6749 §5.2: invalid_client with 401 names the scheme the client should use.
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"bastion\"");
        }
        return response.build();
    }

    static CacheControl noStore() {
        CacheControl cache = new CacheControl();
        cache.setNoStore(true);
        cache.setNoCache(true);
        return cache;
    }
}
