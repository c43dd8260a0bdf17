package org.bastion.oauth.application.grants;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.application.GrantHandler;
import org.bastion.oauth.application.OAuthException;
import org.bastion.oauth.application.TokenIssuer;
import org.bastion.oauth.domain.AuthorizationCode;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.Secrets;

import java.time.Clock;
import java.time.Instant;

/** RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6): a code is redeemed once, by its client, with its redirect URI and verifier. */
@Stateless
public class AuthorizationCodeGrantHandler implements GrantHandler {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    TokenIssuer issuer;

    private final Clock clock = Clock.systemUTC();

    @Override
    public GrantType grantType() {
        return GrantType.AUTHORIZATION_CODE;
    }

    @Override
    public AccessTokenResponse handle(TokenRequest request, OAuthClient client) throws OAuthException {
        AuthorizationCodeGrant grant = (AuthorizationCodeGrant) request.getAuthorizationGrant();
        Instant now = clock.instant();
        AuthorizationCode code = em.find(AuthorizationCode.class, Secrets.hash(grant.getAuthorizationCode().getValue()),
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (code == null) {
            throw OAuthException.invalidGrant("Authorization code is unknown");
        }
        if (!code.clientId().equals(client.clientId())) {
            throw OAuthException.invalidGrant("Authorization code was issued to another client");
        }
        if (code.used()) {
            // RFC 6749 §4.1.2: a code used twice may have been stolen; what it issued is revoked.
            issuer.revokeGrant(code.grantId());
            throw OAuthException.invalidGrant("Authorization code was already used; the tokens issued with it are now revoked");
        }
        if (code.expired(now)) {
            throw OAuthException.invalidGrant("Authorization code expired; codes are valid for 60 seconds");
        }
        String redirectUri = grant.getRedirectionURI() == null ? null : grant.getRedirectionURI().toString();
        if (!code.redirectUri().equals(redirectUri)) {
            throw OAuthException.invalidGrant("redirect_uri must be the one of the authorization request ("
                    + code.redirectUri() + "), not " + redirectUri);
        }
        checkPkce(code, grant.getCodeVerifier());
        code.use(now);
        return issuer.issue(new TokenIssuer.Issue(client, code.context(), code.grantId(), true, code.nonce(), null));
    }

    private static void checkPkce(AuthorizationCode code, CodeVerifier verifier) throws OAuthException {
        if (code.codeChallenge() == null) {
            if (verifier != null) {
                // RFC 9700 §2.1.1: a verifier without a challenge is a PKCE downgrade attempt.
                throw OAuthException.invalidGrant("code_verifier sent, but the authorization request had no code_challenge");
            }
            return;
        }
        if (verifier == null) {
            throw OAuthException.invalidGrant("code_verifier is missing; the authorization request had a code_challenge (PKCE)");
        }
        if (!CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue().equals(code.codeChallenge())) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge (S256)");
        }
    }
}
