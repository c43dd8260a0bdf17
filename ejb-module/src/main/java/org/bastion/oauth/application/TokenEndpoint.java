package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.RefreshToken;
import org.bastion.oauth.domain.Secrets;

import java.text.ParseException;

/** RFC 6749 §3.2: authenticates the client, checks it may use the grant type, and hands over to that grant's handler. */
@Stateless
public class TokenEndpoint {

    @EJB
    ClientAuthenticator authenticator;

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    @Any
    Instance<GrantHandler> handlers;

    public AccessTokenResponse token(TokenRequest request) throws OAuthException {
        GrantType grantType = request.getAuthorizationGrant().getType();
        GrantHandler handler = handler(grantType);
        OAuthClient client;
        if (assertionOnly(request)) {
            client = authenticator.registered(assertionIssuer((JWTBearerGrant) request.getAuthorizationGrant()));
        } else if (request.getClientAuthentication() == null && request.getClientID() == null
                && request.getAuthorizationGrant() instanceof RefreshTokenGrant refresh) {
            client = refreshingPublicClient(refresh);
        } else {
            client = authenticator.authenticate(request.getClientAuthentication(), request.getClientID());
        }
        checkGrantType(client, grantType);
        return handler.handle(request, client);
    }

    /** The client registered the grant type and, when it registered itself, the policy or an admin's approval covers it. */
    static void checkGrantType(OAuthClient client, GrantType grantType) throws OAuthException {
        if (!client.metadata().getGrantTypes().contains(grantType)) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "Client " + client.clientId()
                    + " is not registered for the grant type " + grantType + "; its grant_types are " + client.metadata().getGrantTypes());
        }
        if (!client.mayUse(grantType)) {
            throw new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, "Client " + client.clientId() + " registered itself; the grant type "
                    + grantType + " needs an admin's approval (console: Clients, Trust; admin API: PUT /admin/api/clients/{id}/trust)");
        }
    }

    private GrantHandler handler(GrantType grantType) throws OAuthException {
        for (GrantHandler handler : handlers) {
            if (handler.grantType().equals(grantType)) {
                return handler;
            }
        }
        throw new OAuthException(OAuth2Error.UNSUPPORTED_GRANT_TYPE, "Grant type " + grantType + " is not supported; supported are "
                + "authorization_code, refresh_token, client_credentials and urn:ietf:params:oauth:grant-type:jwt-bearer");
    }

    /**
     * SMART App Launch 2 (refresh access token) and RFC 6749 §6: a public client may refresh
     * without naming itself; the refresh token names it. A confidential client must authenticate.
     */
    private OAuthClient refreshingPublicClient(RefreshTokenGrant grant) throws OAuthException {
        RefreshToken token = em.find(RefreshToken.class, Secrets.hash(grant.getRefreshToken().getValue()));
        if (token == null) {
            throw OAuthException.invalidGrant("Refresh token is unknown");
        }
        OAuthClient client = authenticator.registered(new ClientID(token.clientId()));
        if (!client.isPublic()) {
            throw new OAuthException(OAuth2Error.INVALID_CLIENT, "Client " + client.clientId() + " is confidential: it authenticates "
                    + "with " + client.authMethod() + " to refresh its tokens");
        }
        return client;
    }

    /** RFC 7523 §3.1: with the jwt-bearer grant, client authentication is optional; the assertion vouches for its issuer. */
    private static boolean assertionOnly(TokenRequest request) {
        return request.getClientAuthentication() == null && request.getClientID() == null
                && request.getAuthorizationGrant() instanceof JWTBearerGrant;
    }

    private static ClientID assertionIssuer(JWTBearerGrant grant) throws OAuthException {
        try {
            String issuer = grant.getJWTAssertion().getJWTClaimsSet().getIssuer();
            if (issuer == null) {
                throw OAuthException.invalidGrant("JWT assertion has no iss naming the client");
            }
            return new ClientID(issuer);
        } catch (ParseException e) {
            throw OAuthException.invalidGrant("JWT assertion claims are not a JSON object");
        }
    }
}
