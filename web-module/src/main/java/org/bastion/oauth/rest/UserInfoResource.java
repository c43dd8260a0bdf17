package org.bastion.oauth.rest;

import java.util.Optional;
import org.bastion.platform.rest.BearerCredentials;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.AccessTokenVerifier;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.UserInfo;
import org.bastion.oauth.application.VerifiedAccessToken;

import java.util.Map;

/** OpenID Connect Core §5.3: claims about the signed-in user, for an access token granted openid. */
@Path("userinfo")
public class UserInfoResource {

    @Inject
    AccessTokenVerifier verifier;

    @EJB
    UserInfo userInfo;

    @Context
    HttpHeaders headers;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response get() {
        Optional<String> bearer = BearerCredentials.token(headers.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (bearer.isEmpty()) {
            return refuse(401, "invalid_token", "No access token: send it in the header Authorization: Bearer <token>");
        }
        VerifiedAccessToken token;
        try {
            token = verifier.verify(bearer.get());
        } catch (InvalidTokenException e) {
            return refuse(401, "invalid_token", e.getMessage());
        }
        if (!token.scopes().contains("openid")) {
            return refuse(403, "insufficient_scope", "The access token was not granted the openid scope");
        }
        return userInfo.claims(token)
                .map(OAuthResponses::ok)
                .orElseGet(() -> refuse(401, "invalid_token", "The token's user no longer exists or is disabled"));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response post() {
        return get();
    }

    private static Response refuse(int status, String error, String description) {
        return Response.fromResponse(OAuthResponses.json(status, Map.of("error", error, "error_description", description)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"" + error + "\", error_description=\""
                        + OAuthException.printable(description) + "\"")
                .build();
    }
}
