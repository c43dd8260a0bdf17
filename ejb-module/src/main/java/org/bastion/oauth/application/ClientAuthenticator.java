package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;

import java.util.List;

/**
 * Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3,
 * OpenID Connect Core §9): client_secret_basic, client_secret_post, private_key_jwt, or none
 * for a public client that only names itself.
 */
@Stateless
public class ClientAuthenticator {

    @EJB
    ClientRegistry clients;

    @EJB
    AssertionVerifier assertions;

    @Inject
    BastionSettings settings;

    public OAuthClient authenticate(ClientAuthentication authentication, ClientID publicClientId) throws OAuthException {
        if (authentication == null) {
            return publicClient(publicClientId);
        }
        OAuthClient client = registered(authentication.getClientID());
        if (authentication instanceof PlainClientSecret secret) {
            checkSecret(client, secret);
        } else if (authentication instanceof PrivateKeyJWT jwt) {
            checkAssertion(client, jwt);
        } else {
            throw OAuthException.invalidClient("Client authentication method " + authentication.getMethod() + " is not supported");
        }
        return client;
    }

    private OAuthClient publicClient(ClientID clientId) throws OAuthException {
        if (clientId == null) {
            throw OAuthException.invalidClient("No client authentication: a confidential client authenticates with "
                    + "client_secret_basic, client_secret_post or private_key_jwt; a public client sends its client_id");
        }
        OAuthClient client = registered(clientId);
        if (!client.isPublic()) {
            throw OAuthException.invalidClient("Client " + clientId + " is confidential and must authenticate with "
                    + client.authMethod());
        }
        return client;
    }

    /** A registered, enabled client, not yet authenticated (the jwt-bearer grant's assertion authenticates it later). */
    public OAuthClient registered(ClientID clientId) throws OAuthException {
        if (clientId == null) {
            throw OAuthException.invalidClient("No client_id");
        }
        OAuthClient client = clients.find(clientId.getValue())
                .orElseThrow(() -> OAuthException.invalidClient("Client " + clientId + " is not registered"));
        if (!client.enabled()) {
            throw OAuthException.invalidClient("Client " + clientId + " is disabled");
        }
        return client;
    }

    private static void checkSecret(OAuthClient client, PlainClientSecret secret) throws OAuthException {
        ClientAuthenticationMethod registered = client.authMethod();
        if (!ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(registered) && !ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(registered)) {
            throw OAuthException.invalidClient("Client " + client.clientId() + " is registered for " + registered
                    + ", not for a client secret (" + (secret instanceof ClientSecretBasic ? "client_secret_basic" : "client_secret_post") + ")");
        }
        if (!Secrets.matches(secret.getClientSecret().getValue(), client.secretHash())) {
            throw OAuthException.invalidClient("Client secret of client " + client.clientId() + " is wrong");
        }
    }

    private void checkAssertion(OAuthClient client, PrivateKeyJWT jwt) throws OAuthException {
        if (!ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(client.authMethod())) {
            throw OAuthException.invalidClient("Client " + client.clientId() + " is registered for " + client.authMethod()
                    + ", not for private_key_jwt");
        }
        String issuer = settings.issuer();
        assertions.verify(jwt.getClientAssertion().serialize(), client,
                List.of(issuer + "/token", issuer, issuer + "/introspect", issuer + "/revoke"), "Client assertion");
        if (!client.clientId().equals(jwt.getJWTAuthenticationClaimsSet().getSubject().getValue())) {
            throw OAuthException.invalidClient("Client assertion sub must be the client_id " + client.clientId());
        }
    }
}
