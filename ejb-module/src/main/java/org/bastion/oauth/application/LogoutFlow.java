package org.bastion.oauth.application;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.LoginSession;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–3). A request that carries an ID
 * token Bastion signed for the client, for the user signed in, ends the session at once and
 * returns to a post_logout_redirect_uri the client registered. Any other request, such as a link
 * or image on another site (§6: a logout the user did not ask for), only asks the user; and a URI
 * the client did not register is never redirected to, before or after the question.
 */
@Stateless
public class LogoutFlow {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    ClientRegistry clients;

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    BastionSettings settings;

    /** The parameters of a logout request (§2); each may be null. */
    public record Request(String idTokenHint, String clientId, String postLogoutRedirectUri, String state) {
        public Request {
            idTokenHint = blankToNull(idTokenHint);
            clientId = blankToNull(clientId);
            postLogoutRedirectUri = blankToNull(postLogoutRedirectUri);
            state = blankToNull(state);
        }
    }

    /** What a valid id_token_hint says: the client it was issued to, and the user. */
    private record Hint(String clientId, String subject) {
    }

    /** The request as the client sent it (GET or POST, §2–3): signs out only with a valid hint. */
    public LogoutStep request(String sessionId, Request request) {
        Optional<Hint> hint = hint(request.idTokenHint());
        if (hint.isPresent() && request.clientId() != null && !hint.get().clientId().equals(request.clientId())) {
            // §2: when both are sent, client_id must be the client the ID token was issued to
            return new LogoutStep.Refuse("error.logout_client_mismatch", List.of(request.clientId()));
        }
        String clientId = hint.map(Hint::clientId).orElse(request.clientId());
        Optional<OAuthClient> client = clients.find(clientId);
        if (clientId != null && client.isEmpty()) {
            return new LogoutStep.Refuse("error.unknown_client", List.of(clientId));
        }
        if (request.postLogoutRedirectUri() != null) {
            if (client.isEmpty()) {
                return new LogoutStep.Refuse("error.missing_client", List.of());
            }
            if (!registered(client.get(), request.postLogoutRedirectUri())) {
                return new LogoutStep.Refuse("error.bad_post_logout_redirect_uri", List.of(request.postLogoutRedirectUri(), client.get().name()));
            }
        }
        Optional<LoginSession> session = session(sessionId);
        // §2: a hint for another user than the one signed in is no proof for this session
        if (hint.isEmpty() || (session.isPresent() && !session.get().userId().equals(hint.get().subject()))) {
            return new LogoutStep.Confirm(client.map(OAuthClient::clientId).orElse(null), client.map(OAuthClient::name).orElse(null));
        }
        return new LogoutStep.SignedOut(redirect(client.orElse(null), request), endSession(sessionId));
    }

    /**
     * The user confirmed on the sign-out page (the caller checked the form is this browser's):
     * the session ends, and the browser returns only to a URI the named client registered.
     */
    public LogoutStep confirm(String sessionId, Request request) {
        return new LogoutStep.SignedOut(redirect(clients.find(request.clientId()).orElse(null), request), endSession(sessionId));
    }

    /** Ends the browser's session: the user it was of, or null when there was none. */
    private String endSession(String sessionId) {
        Optional<LoginSession> session = session(sessionId);
        session.ifPresent(s -> em.remove(s));
        return session.map(LoginSession::userId).orElse(null);
    }

    private Optional<LoginSession> session(String sessionId) {
        if (sessionId == null || sessionId.length() > 100) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(LoginSession.class, Secrets.hash(sessionId)));
    }

    /**
     * An ID token Bastion signed (§2: expired or not, it is a hint): a known key, an accepted
     * algorithm, this issuer, one audience and a subject. An access token (typ at+jwt) is no ID token.
     */
    private Optional<Hint> hint(String idTokenHint) {
        if (idTokenHint == null || idTokenHint.length() > AccessTokenVerifier.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(idTokenHint);
            JWSHeader header = jwt.getHeader();
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            boolean idToken = header.getType() == null || JOSEObjectType.JWT.equals(header.getType());
            List<String> audience = claims.getAudience();
            if (!idToken || !AccessTokenVerifier.ACCEPTED_ALGORITHMS.contains(header.getAlgorithm())
                    || !settings.issuer().equals(claims.getIssuer()) || audience == null || audience.size() != 1
                    || claims.getSubject() == null || !verifier.signedByBastion(jwt)) {
                return Optional.empty();
            }
            return Optional.of(new Hint(audience.get(0), claims.getSubject()));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** Exact match with a registered post_logout_redirect_uri (§3), the state appended; null when none applies. */
    private static URI redirect(OAuthClient client, Request request) {
        String uri = request.postLogoutRedirectUri();
        if (client == null || uri == null || !registered(client, uri)) {
            return null;
        }
        if (request.state() != null) {
            uri += (uri.contains("?") ? "&" : "?") + "state=" + URLEncoder.encode(request.state(), StandardCharsets.UTF_8);
        }
        return URI.create(uri);
    }

    private static boolean registered(OAuthClient client, String uri) {
        Set<URI> registered = client.metadata().getPostLogoutRedirectionURIs();
        return registered != null && registered.stream().anyMatch(u -> u.toString().equals(uri));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
