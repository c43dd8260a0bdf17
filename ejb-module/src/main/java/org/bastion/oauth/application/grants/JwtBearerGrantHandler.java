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

import java.util.List;
import java.util.Set;

/**
 * RFC 7523 §2.1: a JWT the client signed with a registered key is the grant. Its sub is the
 * client itself; a user only when an admin let this client act for that user (by name or role),
 * because an assertion is the client's word, not the user's: no user authenticated, so the
 * token carries no auth_time.
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
        BastionUser user = subject.equals(client.clientId()) ? null : delegate(client, subject);
        Set<String> granted = user != null ? scopes.check(request.getScope() != null ? request.getScope() : client.metadata().getScope(), client)
                : scopes.check(ScopeCatalog.requestedOrDefault(request.getScope(), client, "the JWT bearer grant for itself"), client);
        if (granted.isEmpty()) {
            throw OAuthException.invalidScope("No scope was requested and client " + client.clientId() + " has none registered; ask for one");
        }
        if (user == null) {
            for (String scope : granted) {
                if (ScopeCatalog.needsUser(scope)) {
                    throw OAuthException.invalidScope("Scope '" + scope + "' needs a user; an assertion whose sub is the client itself grants system/ scopes");
                }
            }
        }
        GrantContext context = new GrantContext(user == null ? null : user.id(), String.join(" ", granted), null, null, null);
        return issuer.issue(new TokenIssuer.Issue(client, context, null, false, null, null));
    }

    /** The user an admin allowed this client to act for, by username or role:name; anything else is refused alike. */
    private BastionUser delegate(OAuthClient client, String subject) throws OAuthException {
        OAuthException refused = OAuthException.invalidGrant("JWT assertion sub '" + subject + "' is not the client_id " + client.clientId()
                + ", and no admin allowed this client to act for that user (jwt_bearer_subjects)");
        List<String> allowed = client.jwtBearerSubjects();
        if (allowed.isEmpty()) {
            throw refused;
        }
        BastionUser user = em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                .setParameter("name", subject).getResultStream().findFirst().filter(BastionUser::enabled).orElseThrow(() -> refused);
        boolean delegated = allowed.contains(user.username()) || user.roles().stream().anyMatch(role -> allowed.contains("role:" + role));
        if (!delegated) {
            throw refused;
        }
        return user;
    }
}
