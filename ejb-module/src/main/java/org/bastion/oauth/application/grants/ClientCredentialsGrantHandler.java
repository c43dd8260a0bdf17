package org.bastion.oauth.application.grants;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import org.bastion.oauth.application.GrantHandler;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.application.TokenIssuer;
import org.bastion.oauth.domain.GrantContext;
import org.bastion.oauth.domain.OAuthClient;

import java.util.Set;

/** RFC 6749 §4.4, SMART Backend Services: a confidential client acting for itself, with system/ scopes. */
@Stateless
public class ClientCredentialsGrantHandler implements GrantHandler {

    @EJB
    ScopeCatalog scopes;

    @EJB
    TokenIssuer issuer;

    @Override
    public GrantType grantType() {
        return GrantType.CLIENT_CREDENTIALS;
    }

    @Override
    public AccessTokenResponse handle(TokenRequest request, OAuthClient client) throws OAuthException {
        if (client.isPublic()) {
            throw OAuthException.unauthorizedClient("client_credentials needs a confidential client; " + client.clientId() + " is public");
        }
        Set<String> granted = scopes.check(ScopeCatalog.requestedOrDefault(request.getScope(), client, "client_credentials"), client);
        for (String scope : granted) {
            if (ScopeCatalog.needsUser(scope)) {
                throw OAuthException.invalidScope("Scope '" + scope + "' needs a signed-in user; client_credentials grants system/ scopes");
            }
        }
        GrantContext context = new GrantContext(null, String.join(" ", granted), null, null, null);
        return issuer.issue(new TokenIssuer.Issue(client, context, null, false, null, null));
    }
}
