package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.OIDCError;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.application.UserService;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.domain.ConsentGrant;
import org.bastion.oauth.domain.GrantContext;
import org.bastion.oauth.domain.LaunchContext;
import org.bastion.oauth.domain.LoginSession;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.PendingAuthorization;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.BastionSettings;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The authorization endpoint's flow (RFC 6749 §4.1.1–4.1.2, OpenID Connect Core §3.1.2, SMART
 * App Launch 2): check the request, sign the user in, ask for consent, return a code. Errors
 * before the redirect URI is trusted are shown, never redirected (RFC 6749 §4.1.2.1).
 */
@Stateless
public class AuthorizationFlow {

    private static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern PKCE_CHALLENGE = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    private static final Set<String> PROMPTS = Set.of("none", "login", "consent");

    @jakarta.inject.Inject
    AuthorizeRateLimit rateLimit;

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    ClientRegistry clients;

    @EJB
    ScopeCatalog scopes;

    @EJB
    UserService users;

    @EJB
    LaunchContexts launches;

    @Inject
    BastionSettings settings;

    private final Clock clock = Clock.systemUTC();

    /** The checked request of a flow, as the login and consent pages need it. */
    public record Request(PendingAuthorization pending, OAuthClient client, AuthorizationRequest authorization,
                          Set<String> scopes) {
        public String uiLocales() {
            return param(authorization, "ui_locales");
        }

        /** Where the browser returns: the redirect_uri asked for, or the client's only one. */
        public URI redirectUri() {
            URI uri = authorization.getRedirectionURI();
            return uri != null ? uri : client.metadata().getRedirectionURIs().iterator().next();
        }
    }

    /** The outcome of a sign-in attempt: the next step, and the new session's id when it succeeded. */
    public record LoginResult(AuthorizationStep step, String sessionId, String errorKey, boolean throttled, String userId) {
    }

    /**
     * @param browserToken the browser's anti-forgery value (a cookie): the login and consent forms
     *                     must echo it, so a form posted from another site is refused
     * @param address      the browser's address: a browser without a session may start only so many
     *                     flows a minute (each stores a row until it expires)
     */
    public AuthorizationStep start(String query, String sessionId, String browserToken, String address) {
        Map<String, List<String>> params = URLUtils.parseParameters(query);
        String clientId = single(params, "client_id");
        if (clientId == null) {
            return new AuthorizationStep.ShowError("error.missing_client", List.of());
        }
        Optional<OAuthClient> found = clients.find(clientId);
        if (found.isEmpty()) {
            return new AuthorizationStep.ShowError("error.unknown_client", List.of(clientId));
        }
        OAuthClient client = found.get();
        if (!client.enabled()) {
            return new AuthorizationStep.ShowError("error.disabled_client", List.of(client.name()));
        }
        Set<URI> registered = client.metadata().getRedirectionURIs() == null ? Set.of() : client.metadata().getRedirectionURIs();
        String redirect = single(params, "redirect_uri");
        URI redirectUri;
        if (redirect == null) {
            if (registered.size() != 1) {
                return new AuthorizationStep.ShowError("error.missing_redirect_uri", List.of());
            }
            redirectUri = registered.iterator().next();
        } else if (registered.stream().noneMatch(u -> u.toString().equals(redirect))) {
            return new AuthorizationStep.ShowError("error.bad_redirect_uri", List.of(redirect, client.name()));
        } else {
            redirectUri = URI.create(redirect);
        }
        State state = Optional.ofNullable(single(params, "state")).map(State::new).orElse(null);
        try {
            AuthorizationRequest request = check(params, client, redirectUri, state);
            Set<String> granted = scopes.check(request.getScope(), client);
            Optional<LoginSession> session = session(sessionId);
            if (session.isEmpty()) {
                java.time.Duration wait = rateLimit.admit(address);
                if (!wait.isZero()) {
                    return new AuthorizationStep.ShowError("error.too_many_requests", List.of(Long.toString(wait.toSeconds() + 1)));
                }
            }
            Instant now = clock.instant();
            PendingAuthorization pending = new PendingAuthorization(Secrets.random(), client.clientId(),
                    URLUtils.serializeParameters(params), browserToken, now, now.plus(FLOW_LIFETIME));
            em.persist(pending);
            return proceed(new Request(pending, client, request, granted), session, false);
        } catch (OAuthException e) {
            return errorRedirect(redirectUri, e.error(), state);
        }
    }

    /** The flow behind a login or consent page, while it is still valid. */
    public Optional<Request> find(String requestId) {
        if (requestId == null || requestId.length() > 64) {
            return Optional.empty();
        }
        PendingAuthorization pending = em.find(PendingAuthorization.class, requestId);
        if (pending == null || pending.expired(clock.instant())) {
            return Optional.empty();
        }
        OAuthClient client = clients.find(pending.clientId()).orElse(null);
        if (client == null) {
            return Optional.empty();
        }
        try {
            AuthorizationRequest request = AuthorizationRequest.parse(URLUtils.parseParameters(pending.parameters()));
            return Optional.of(new Request(pending, client, request, new LinkedHashSet<>(
                    request.getScope() == null ? List.of() : request.getScope().toStringList())));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** Signs the user in from the login page; source is the browser's address (sign-in throttling). */
    public LoginResult login(Request request, String username, char[] password, String source) {
        LoginResult signedIn = signIn(username, password, source);
        if (signedIn.errorKey() != null) {
            return signedIn;
        }
        PendingAuthorization pending = em.merge(request.pending());
        pending.authenticated(signedIn.userId(), clock.instant());
        return new LoginResult(proceed(new Request(pending, request.client(), request.authorization(), request.scopes()),
                Optional.empty(), true), signedIn.sessionId(), null, false, signedIn.userId());
    }

    /**
     * Signs the user in to a new single sign-on session outside an authorization flow (the account
     * page): the session's id and the user's, or the error; no step follows.
     */
    public LoginResult signIn(String username, char[] password, String source) {
        UserService.SignIn signIn = users.signIn(username, password, source);
        if (signIn.user() == null) {
            return new LoginResult(null, null, "login.error.invalid", signIn.throttled(), null);
        }
        Instant now = clock.instant();
        String sessionId = Secrets.random();
        em.persist(new LoginSession(Secrets.hash(sessionId), signIn.user().id(), now, now.plus(settings.sessionLifetime())));
        return new LoginResult(null, sessionId, null, false, signIn.user().id());
    }

    /** The user a browser's single sign-on session belongs to, while it lasts and the user is enabled. */
    public Optional<String> signedInUser(String sessionId) {
        return session(sessionId).map(LoginSession::userId);
    }

    /** The user's decision on the consent page: the scopes ticked, or a denial. */
    /**
     * @param patient the patient the user chose for a standalone launch asking for launch/patient (null otherwise)
     */
    public AuthorizationStep consent(Request request, boolean approved, Set<String> ticked, String patient) {
        PendingAuthorization pending = em.merge(request.pending());
        URI redirectUri = redirectUri(request);
        State state = request.authorization().getState();
        if (pending.userId() == null) {
            return new AuthorizationStep.ShowError("error.request_expired", List.of());
        }
        if (!approved) {
            em.remove(pending);
            return errorRedirect(redirectUri, OAuth2Error.ACCESS_DENIED.setDescription("The user denied the request"), state);
        }
        Set<String> granted = new LinkedHashSet<>(request.scopes());
        granted.retainAll(ticked);
        ConsentGrant consent = em.find(ConsentGrant.class, new ConsentGrant.Key(pending.userId(), request.client().clientId()));
        if (consent == null) {
            em.persist(new ConsentGrant(pending.userId(), request.client().clientId(), granted, clock.instant()));
        } else {
            consent.grant(granted, clock.instant());
        }
        return issueCode(new Request(pending, request.client(), request.authorization(), request.scopes()), granted,
                granted.contains("launch/patient") ? patient : null);
    }

    /** SMART standalone launch: launch/patient without an EHR's launch handle means the user picks the patient. */
    public static boolean needsPatientPicker(Request request) {
        return request.scopes().contains("launch/patient") && param(request.authorization(), "launch") == null;
    }

    public String username(String userId) {
        BastionUser user = em.find(BastionUser.class, userId);
        return user == null ? "" : user.username();
    }

    private AuthorizationStep proceed(Request request, Optional<LoginSession> session, boolean justSignedIn) {
        AuthorizationRequest authorization = request.authorization();
        String prompt = param(authorization, "prompt");
        PendingAuthorization pending = request.pending();
        if (!justSignedIn) {
            Optional<LoginSession> usable = session.filter(s -> !"login".equals(prompt) && withinMaxAge(s, authorization));
            if (usable.isEmpty()) {
                if ("none".equals(prompt)) {
                    return errorRedirect(redirectUri(request), OIDCError.LOGIN_REQUIRED.setDescription("The user is not signed in"), authorization.getState());
                }
                return new AuthorizationStep.ShowLogin(pending.id(), request.uiLocales());
            }
            pending.authenticated(usable.get().userId(), usable.get().authTime());
        }
        ConsentGrant consent = em.find(ConsentGrant.class, new ConsentGrant.Key(pending.userId(), request.client().clientId()));
        boolean consented = consent != null && consent.scopes().containsAll(request.scopes());
        if (consented && !"consent".equals(prompt) && !needsPatientPicker(request)) {
            return issueCode(request, request.scopes(), null);
        }
        if ("none".equals(prompt)) {
            return errorRedirect(redirectUri(request), OIDCError.CONSENT_REQUIRED.setDescription("The user has not consented to these scopes"), authorization.getState());
        }
        return new AuthorizationStep.ShowConsent(pending.id(), request.uiLocales());
    }

    private AuthorizationStep issueCode(Request request, Set<String> granted, String chosenPatient) {
        PendingAuthorization pending = request.pending();
        AuthorizationRequest authorization = request.authorization();
        String code = Secrets.random();
        // SMART App Launch 2 §2.0.4: the launch scope, granted with an EHR's launch handle, carries its context;
        // the handle is spent here, by the client and the user it was made for.
        String handle = param(authorization, "launch");
        Optional<LaunchContext> launch = granted.contains("launch") && handle != null
                ? launches.redeem(handle, request.client().clientId(), pending.userId()) : Optional.empty();
        if (granted.contains("launch") && handle != null && launch.isEmpty()) {
            em.remove(pending);
            return errorRedirect(redirectUri(request), OAuth2Error.INVALID_REQUEST.setDescription("The launch handle is used already, expired,"
                    + " or was made for another user"), authorization.getState());
        }
        GrantContext context = new GrantContext(pending.userId(), String.join(" ", granted), pending.authTime(),
                launch.map(LaunchContext::patient).orElse(chosenPatient), launch.map(LaunchContext::encounter).orElse(null));
        URI redirectUri = redirectUri(request);
        em.persist(new org.bastion.oauth.domain.AuthorizationCode(Secrets.hash(code), request.client().clientId(), context,
                redirectUri.toString(), authorization.getCodeChallenge() == null ? null : authorization.getCodeChallenge().getValue(),
                param(authorization, "nonce"), UUID.randomUUID().toString(), clock.instant().plus(settings.codeLifetime())));
        em.remove(pending);
        AuthorizationSuccessResponse response = new AuthorizationSuccessResponse(redirectUri, new AuthorizationCode(code), null,
                authorization.getState(), new Issuer(settings.issuer()), ResponseMode.QUERY);
        return new AuthorizationStep.RedirectToClient(response.toURI());
    }

    private AuthorizationRequest check(Map<String, List<String>> params, OAuthClient client, URI redirectUri, State state) throws OAuthException {
        for (Map.Entry<String, List<String>> p : params.entrySet()) {
            if (p.getValue().size() > 1) {
                throw OAuthException.invalidRequest("Parameter " + p.getKey() + " is repeated (RFC 6749 §3.1)");
            }
        }
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(params);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject() != null ? e.getErrorObject() : OAuth2Error.INVALID_REQUEST;
            throw new OAuthException(error, e.getMessage());
        }
        if (!new ResponseType(ResponseType.Value.CODE).equals(request.getResponseType())) {
            throw new OAuthException(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE, "response_type must be code; "
                    + request.getResponseType() + " (implicit or hybrid) is not supported");
        }
        TokenEndpoint.checkGrantType(client, GrantType.AUTHORIZATION_CODE);
        checkPkce(request, client);
        String aud = param(request, "aud");
        if (aud != null && !aud.equals(settings.fhirBase())) {
            throw OAuthException.invalidRequest("aud must be this server's FHIR base URL " + settings.fhirBase() + ", not " + aud);
        }
        String launch = param(request, "launch");
        if (launch != null && launches.usable(launch, client.clientId()).isEmpty()) {
            throw OAuthException.invalidRequest("launch handle '" + launch + "' is unknown, expired, used already or made for another app;"
                    + " an EHR launch passes a fresh handle made for this client");
        }
        String prompt = param(request, "prompt");
        if (prompt != null && !PROMPTS.contains(prompt)) {
            throw OAuthException.invalidRequest("prompt must be one of none, login, consent");
        }
        String maxAge = param(request, "max_age");
        if (maxAge != null && !maxAge.matches("\\d{1,9}")) {
            throw OAuthException.invalidRequest("max_age must be a number of seconds");
        }
        return request;
    }

    private static void checkPkce(AuthorizationRequest request, OAuthClient client) throws OAuthException {
        if (request.getCodeChallenge() == null) {
            if (client.isPublic()) {
                throw OAuthException.invalidRequest("code_challenge is required: public clients must use PKCE (S256)");
            }
            return;
        }
        if (!CodeChallengeMethod.S256.equals(request.getCodeChallengeMethod())) {
            throw OAuthException.invalidRequest("code_challenge_method must be S256 (plain is not accepted)");
        }
        if (!PKCE_CHALLENGE.matcher(request.getCodeChallenge().getValue()).matches()) {
            throw OAuthException.invalidRequest("code_challenge must be 43 to 128 characters of [A-Za-z0-9._~-] (RFC 7636 §4.2)");
        }
    }

    private boolean withinMaxAge(LoginSession session, AuthorizationRequest request) {
        String maxAge = param(request, "max_age");
        return maxAge == null || !session.authTime().plusSeconds(Long.parseLong(maxAge)).isBefore(clock.instant());
    }

    private Optional<LoginSession> session(String sessionId) {
        if (sessionId == null || sessionId.length() > 100) {
            return Optional.empty();
        }
        LoginSession session = em.find(LoginSession.class, Secrets.hash(sessionId));
        // a session is only as good as its user: disabled or deleted ends it, whatever its expiry
        return Optional.ofNullable(session).filter(s -> !s.expired(clock.instant()))
                .filter(s -> users.find(s.userId()).filter(BastionUser::enabled).isPresent());
    }

    private static URI redirectUri(Request request) {
        return request.redirectUri();
    }

    private AuthorizationStep errorRedirect(URI redirectUri, ErrorObject error, State state) {
        AuthorizationErrorResponse response = new AuthorizationErrorResponse(redirectUri, error, state,
                new Issuer(settings.issuer()), ResponseMode.QUERY);
        return new AuthorizationStep.RedirectToClient(response.toURI());
    }

    static String param(AuthorizationRequest request, String name) {
        List<String> values = request.getCustomParameters().get(name);
        if (values == null) {
            values = request.toParameters().get(name);
        }
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }
}
