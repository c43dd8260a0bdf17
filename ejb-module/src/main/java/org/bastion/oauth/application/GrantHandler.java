package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import org.bastion.oauth.domain.OAuthClient;

/** One grant type at the token endpoint (RFC 6749 §4, RFC 7523 §2.1): a new grant is a new handler. */
public interface GrantHandler {

    GrantType grantType();

    /** Issues tokens to the authenticated client, or refuses with the RFC 6749 §5.2 error. */
    AccessTokenResponse handle(TokenRequest request, OAuthClient client) throws OAuthException;
}
