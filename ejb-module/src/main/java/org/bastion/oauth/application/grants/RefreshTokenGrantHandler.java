package org.bastion.oauth.application.grants;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.application.GrantHandler;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.TokenIssuer;
import org.bastion.oauth.domain.GrantContext;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.RefreshToken;
import org.bastion.oauth.domain.Secrets;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * RFC 6749 §6 with rotation: each refresh token is used once and replaced. A used one coming
 * back means two parties hold it (RFC 9700 §4.14.2): the whole grant is revoked.
 */
@Stateless
public class RefreshTokenGrantHandler implements GrantHandler {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    TokenIssuer issuer;

    private final Clock clock = Clock.systemUTC();

    @Override
    public GrantType grantType() {
        return GrantType.REFRESH_TOKEN;
    }

    @Override
    public AccessTokenResponse handle(TokenRequest request, OAuthClient client) throws OAuthException {
        RefreshTokenGrant grant = (RefreshTokenGrant) request.getAuthorizationGrant();
        Instant now = clock.instant();
        RefreshToken token = em.find(RefreshToken.class, Secrets.hash(grant.getRefreshToken().getValue()), LockModeType.PESSIMISTIC_WRITE);
        if (token == null) {
            throw OAuthException.invalidGrant("Refresh token is unknown");
        }
        if (!token.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("Refresh token was issued to another client");
        }
        if (token.revoked()) {
            throw OAuthException.invalidGrant("Refresh token was revoked");
        }
        if (token.used()) {
            issuer.revokeGrant(token.grantId());
            throw OAuthException.invalidGrant("Refresh token was already used (each is good once); as it may have been stolen, "
                    + "every token of this grant is now revoked");
        }
        if (!token.active(now)) {
            throw OAuthException.invalidGrant("Refresh token expired at " + token.expiresAt());
        }
        GrantContext context = narrowed(token.context(), request.getScope());
        token.use(now);
        return issuer.issue(new TokenIssuer.Issue(client, context, token.grantId(), true, null, token.expiresAt()));
    }

    /** RFC 6749 §6: a refresh may ask for fewer scopes, never more. */
    private static GrantContext narrowed(GrantContext context, Scope requested) throws OAuthException {
        if (requested == null) {
            return context;
        }
        List<String> granted = List.of(context.scope().split(" "));
        for (String scope : requested.toStringList()) {
            if (!granted.contains(scope)) {
                throw OAuthException.invalidScope("Scope '" + scope + "' was not granted; a refresh can only narrow the scopes ("
                        + context.scope() + ")");
            }
        }
        return context.withScope(String.join(" ", requested.toStringList()));
    }
}
