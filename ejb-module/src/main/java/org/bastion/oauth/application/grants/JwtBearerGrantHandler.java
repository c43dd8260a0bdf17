package org.bastion.oauth.application.grants;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.application.AssertionVerifier;
import org.bastion.oauth.application.GrantHandler;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.application.TokenIssuer;
import org.bastion.oauth.domain.GrantContext;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.platform.BastionSettings;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * RFC 7523 §2.1: a JWT the client signed with a registered key is the grant. Its sub is the
 * client itself, or the username of a Bastion user the client acts for.
 */
@Stateless
public class JwtBearerGrantHandler implements GrantHandler {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    AssertionVerifier assertions;

    @EJB
    ScopeCatalog scopes;

    @EJB
    TokenIssuer issuer;

    @Inject
    BastionSettings settings;

    @Override
    public GrantType grantType() {
        return GrantType.JWT_BEARER;
    }

    @Override
    public AccessTokenResponse handle(TokenRequest request, OAuthClient client) throws OAuthException {
        JWTBearerGrant grant = (JWTBearerGrant) request.getAuthorizationGrant();
        String tokenEndpoint = settings.issuer() + "/token";
        JWTClaimsSet claims = assertions.verify(grant.getAssertion(), client, List.of(tokenEndpoint, settings.issuer()), "JWT assertion");
        String subject = claims.getSubject();
        if (subject == null) {
            throw OAuthException.invalidGrant("JWT assertion has no sub");
        }
        Set<String> granted = scopes.check(request.getScope() != null ? request.getScope() : client.metadata().getScope(), client);
        String userId = null;
        Instant authTime = null;
        if (!subject.equals(client.clientId())) {
            BastionUser user = em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                    .setParameter("name", subject).getResultStream().findFirst()
                    .filter(BastionUser::enabled)
                    .orElseThrow(() -> OAuthException.invalidGrant("JWT assertion sub '" + subject
                            + "' is neither the client_id nor an enabled user"));
            userId = user.id();
            authTime = claims.getIssueTime() != null ? claims.getIssueTime().toInstant() : null;
        }
        GrantContext context = new GrantContext(userId, String.join(" ", granted), authTime, null, null);
        return issuer.issue(new TokenIssuer.Issue(client, context, null, false, null, null));
    }
}
