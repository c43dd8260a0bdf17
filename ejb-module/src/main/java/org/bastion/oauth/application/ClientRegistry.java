package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.platform.OutboundFetcher;
import org.bastion.oauth.domain.Secrets;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The registered clients (RFC 7591 / 7592): validation of their metadata, their secrets and
 * registration access tokens (stored as hashes, shown once), and lookups.
 */
@Stateless
public class ClientRegistry {

    /** A client's own access token lifetime in seconds (60 to 86400), instead of the server's. */
    public static final String ACCESS_TOKEN_LIFETIME = "bastion_access_token_lifetime";
    /** Allowed CORS origins: Bastion's own client metadata field (trusted origins of a browser app). */
    public static final String CORS_ORIGINS = "bastion_cors_origins";
    static final Set<GrantType> SUPPORTED_GRANTS = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN,
            GrantType.CLIENT_CREDENTIALS, GrantType.JWT_BEARER);
    static final Set<ClientAuthenticationMethod> SUPPORTED_AUTH = Set.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
            ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT, ClientAuthenticationMethod.NONE);

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<ClientChanged> changed;

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @jakarta.inject.Inject
    OutboundFetcher fetcher;

    private final Clock clock = Clock.systemUTC();

    /** A registration's result: the client and the values shown only this once. */
    public record Registered(OAuthClient client, String secret, String registrationToken) {
    }

    public Optional<OAuthClient> find(String clientId) {
        return Optional.ofNullable(clientId == null || clientId.length() > 100 ? null : em.find(OAuthClient.class, clientId));
    }

    @jakarta.ejb.EJB
    InitialAccessTokens initialAccessTokens;

    /**
     * A client registering itself (RFC 7591): checked first, then the initial access token (null
     * when registration is open) is spent in the same transaction, so a refused registration costs
     * no use of it. The client starts with the approval the token carries, if any.
     */
    public Registered registerSelf(OIDCClientMetadata metadata, String initialAccessToken, boolean open) throws OAuthException {
        OIDCClientMetadata checked = validate(metadata);
        checkName(checked);
        org.bastion.oauth.domain.InitialAccessToken token = open ? null : initialAccessTokens.spend(initialAccessToken);
        Registered registered = register(checked, true);
        if (token != null) {
            registered.client().trust(token.approvedGrantTypes(), token.approvedScope(), List.of(), false);
        }
        return registered;
    }

    /** An admin's decision: what a self-registered client is approved for, for whom it may assert, whether it introspects. */
    public OAuthClient trust(OAuthClient client, List<String> grantTypes, List<String> scope, List<String> jwtBearerSubjects, boolean resourceServer) {
        ClientTrust.check(grantTypes, scope);
        ClientTrust.checkSubjects(jwtBearerSubjects);
        OAuthClient managed = em.merge(client);
        managed.trust(grantTypes, scope, jwtBearerSubjects, resourceServer);
        changed.fire(new ClientChanged(managed.clientId()));
        return managed;
    }

    public Registered register(OIDCClientMetadata metadata, boolean dynamic) throws OAuthException {
        OIDCClientMetadata checked = validate(metadata);
        OAuthClient client = new OAuthClient(UUID.randomUUID().toString(), checked, dynamic, clock.instant());
        String secret = client.isPublic() || ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(client.authMethod()) ? null : Secrets.random();
        if (secret != null) {
            client.secretHash(Secrets.hash(secret));
        }
        String registrationToken = Secrets.random();
        client.registrationTokenHash(Secrets.hash(registrationToken));
        em.persist(client);
        changed.fire(new ClientChanged(client.clientId()));
        return new Registered(client, secret, registrationToken);
    }

    /** RFC 7592 §2.2: the new metadata replaces the old; the secret stays unless the method no longer uses one. */
    public Registered update(OAuthClient client, OIDCClientMetadata metadata) throws OAuthException {
        OAuthClient managed = em.merge(client);
        changed.fire(new ClientChanged(managed.clientId()));
        boolean hadSecret = managed.secretHash() != null;
        if (managed.selfRegistered()) {
            checkName(metadata);
        }
        managed.update(validate(metadata), clock.instant());
        boolean needsSecret = !managed.isPublic() && !ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(managed.authMethod());
        String secret = null;
        if (needsSecret && !hadSecret) {
            secret = Secrets.random();
            managed.secretHash(Secrets.hash(secret));
        } else if (!needsSecret) {
            managed.secretHash(null);
        }
        return new Registered(managed, secret, null);
    }

    public void delete(OAuthClient client) {
        changed.fire(new ClientChanged(client.clientId()));
        // its API keys go with it: a client registered again under the same id does not inherit them
        em.createQuery("delete from ApiKey k where k.clientId = :client").setParameter("client", client.clientId()).executeUpdate();
        em.remove(em.merge(client));
    }

    /** Clients whose id or registered metadata (name, URLs) contain q (any when blank), by creation, newest first. */
    public List<OAuthClient> list(String q, int offset, int count) {
        return em.createQuery("select c from OAuthClient c where :q is null or lower(c.clientId) like :q or lower(c.metadata) like :q "
                        + "order by c.createdAt desc, c.clientId", OAuthClient.class)
                .setParameter("q", pattern(q)).setFirstResult(offset).setMaxResults(count).getResultList();
    }

    public long count(String q) {
        return em.createQuery("select count(c) from OAuthClient c where :q is null or lower(c.clientId) like :q or lower(c.metadata) like :q",
                Long.class).setParameter("q", pattern(q)).getSingleResult();
    }

    private static String pattern(String q) {
        return q == null || q.isBlank() ? null : "%" + q.toLowerCase(java.util.Locale.ROOT).replace("\\", "").replace("%", "").replace("_", "") + "%";
    }

    /** A new secret for a confidential client (shown once); the old one stops working at once. */
    public String regenerateSecret(OAuthClient client) throws OAuthException {
        OAuthClient managed = em.merge(client);
        if (managed.isPublic() || ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(managed.authMethod())) {
            throw OAuthException.invalidClientMetadata("Client " + managed.clientId() + " authenticates with "
                    + managed.authMethod() + ", not with a secret");
        }
        String secret = Secrets.random();
        managed.secretHash(Secrets.hash(secret));
        changed.fire(new ClientChanged(managed.clientId()));
        return secret;
    }

    /** Enables or disables a client: a disabled one gets no tokens, and its tokens stop working. */
    public OAuthClient enable(OAuthClient client, boolean enabled) {
        OAuthClient managed = em.merge(client);
        managed.enabled(enabled);
        changed.fire(new ClientChanged(managed.clientId()));
        return managed;
    }

    /** The console's own client (public, PKCE): created on first start, its URLs kept in step with the base URL. */
    public static final String CONSOLE_CLIENT_ID = "bastion-console";

    public void ensureConsoleClient(String baseUrl) {
        OIDCClientMetadata metadata = new OIDCClientMetadata();
        metadata.setName(org.bastion.oauth.domain.ClientNames.CONSOLE);
        metadata.setRedirectionURI(URI.create(baseUrl + "/admin/"));
        metadata.setPostLogoutRedirectionURIs(Set.of(URI.create(baseUrl + "/admin/")));
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.NONE);
        metadata.setGrantTypes(Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN));
        // the one client that may have the admin scope out of the box
        metadata.setScope(new com.nimbusds.oauth2.sdk.Scope("openid", "profile", "fhirUser", ScopeCatalog.ADMIN));
        metadata.applyDefaults();
        ensureClient(CONSOLE_CLIENT_ID, metadata, null).update(metadata, clock.instant());
    }

    /**
     * A client with a fixed id (the console's, the demo's), registered as given unless it exists;
     * secret: the confidential client's, or null.
     */
    public OAuthClient ensureClient(String clientId, OIDCClientMetadata metadata, String secret) {
        OAuthClient client = em.find(OAuthClient.class, clientId);
        if (client == null) {
            client = new OAuthClient(clientId, metadata, false, clock.instant());
            if (secret != null) {
                client.secretHash(Secrets.hash(secret));
            }
            em.persist(client);
            changed.fire(new ClientChanged(clientId));
        }
        return client;
    }

    /** The client the registration access token belongs to (RFC 7592 §3), if it is that client's. */
    public Optional<OAuthClient> byRegistrationToken(String clientId, String token) {
        return find(clientId).filter(c -> Secrets.matches(token, c.registrationTokenHash()));
    }

    /** Every origin some enabled client trusts, for CORS. */
    public Set<String> corsOrigins() {
        Set<String> origins = new LinkedHashSet<>();
        for (OAuthClient client : em.createQuery("select c from OAuthClient c where c.enabled = true", OAuthClient.class).getResultList()) {
            origins.addAll(corsOrigins(client.metadata()));
        }
        return origins;
    }

    static java.util.Optional<java.time.Duration> accessTokenLifetime(OIDCClientMetadata metadata) {
        return metadata.getCustomField(ACCESS_TOKEN_LIFETIME) instanceof Number n
                ? java.util.Optional.of(java.time.Duration.ofSeconds(n.longValue())) : java.util.Optional.empty();
    }

    @SuppressWarnings("unchecked")
    static List<String> corsOrigins(OIDCClientMetadata metadata) {
        Object value = metadata.getCustomField(CORS_ORIGINS);
        return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }

    /** Longest client_name, and longest value of any other text field (URIs, scope, contacts …). */
    static final int MAX_NAME = 200;
    static final int MAX_FIELD = 2000;
    /** What the database keeps of a client's metadata. */
    static final int MAX_METADATA = 20_000;

    OIDCClientMetadata validate(OIDCClientMetadata metadata) throws OAuthException {
        metadata.applyDefaults();
        checkSizes(metadata);
        Set<GrantType> grants = metadata.getGrantTypes();
        for (GrantType grant : grants) {
            if (!SUPPORTED_GRANTS.contains(grant)) {
                throw OAuthException.invalidClientMetadata("grant_types: " + grant + " is not supported; supported are "
                        + SUPPORTED_GRANTS.stream().map(GrantType::getValue).sorted().toList());
            }
        }
        if (metadata.getResponseTypes() != null) {
            for (ResponseType type : metadata.getResponseTypes()) {
                if (!ResponseType.CODE.equals(type)) {
                    throw OAuthException.invalidClientMetadata("response_types: only code is supported (no implicit or hybrid flow), not " + type);
                }
            }
        }
        ClientAuthenticationMethod method = metadata.getTokenEndpointAuthMethod();
        if (!SUPPORTED_AUTH.contains(method)) {
            throw OAuthException.invalidClientMetadata("token_endpoint_auth_method " + method + " is not supported; supported are "
                    + SUPPORTED_AUTH.stream().map(ClientAuthenticationMethod::getValue).sorted().toList());
        }
        if (ClientAuthenticationMethod.PRIVATE_KEY_JWT.equals(method) && metadata.getJWKSet() == null && metadata.getJWKSetURI() == null) {
            throw OAuthException.invalidClientMetadata("token_endpoint_auth_method private_key_jwt needs jwks or jwks_uri");
        }
        checkJwksUri(metadata);
        if (metadata.getJWKSet() != null && metadata.getJWKSet().getKeys().stream().anyMatch(k -> k.isPrivate())) {
            throw OAuthException.invalidClientMetadata("jwks must hold public keys only; a private key was sent");
        }
        if (ClientAuthenticationMethod.NONE.equals(method) && (grants.contains(GrantType.CLIENT_CREDENTIALS) || grants.contains(GrantType.JWT_BEARER))) {
            throw OAuthException.invalidClientMetadata("A public client (token_endpoint_auth_method none) cannot use client_credentials or jwt-bearer");
        }
        if (grants.contains(GrantType.AUTHORIZATION_CODE)) {
            checkRedirectUris(metadata.getRedirectionURIs(), "redirect_uris", true);
        }
        checkRedirectUris(metadata.getPostLogoutRedirectionURIs(), "post_logout_redirect_uris", false);
        Object lifetime = metadata.getCustomField(ACCESS_TOKEN_LIFETIME);
        if (lifetime != null && !(lifetime instanceof Number n && n.longValue() >= 60 && n.longValue() <= 86_400 && n.doubleValue() == n.longValue())) {
            throw OAuthException.invalidClientMetadata(ACCESS_TOKEN_LIFETIME + " must be a whole number of seconds from 60 to 86400");
        }
        for (String origin : corsOrigins(metadata)) {
            checkOrigin(origin);
        }
        try {
            // what is stored must read back: Nimbus keeps some fields it cannot parse again, e.g. a
            // language-tagged client_uri whose tag is no language tag and whose value is a list
            OIDCClientMetadata.parse(metadata.toJSONObject());
        } catch (com.nimbusds.oauth2.sdk.ParseException | RuntimeException e) {
            throw OAuthException.invalidClientMetadata("The client metadata holds a field that cannot be stored as given: "
                    + OAuthException.printable(String.valueOf(e.getMessage())));
        }
        return metadata;
    }

    /** A self-registered client may not pass for one Bastion ships, in any language of its name (RFC 7591 §2.2). */
    private static void checkName(OIDCClientMetadata metadata) throws OAuthException {
        for (java.util.Map.Entry<com.nimbusds.langtag.LangTag, String> name : metadata.getNameEntries().entrySet()) {
            Optional<String> imitation = org.bastion.oauth.domain.ClientNames.imitation(name.getValue());
            if (imitation.isPresent()) {
                throw OAuthException.invalidClientMetadata("client_name" + (name.getKey() == null ? "" : "#" + name.getKey())
                        + ": " + imitation.get());
            }
        }
    }

    /** Oversized fields are the client's mistake, named, never a database error (RFC 7591 §3.2.2). */
    private static void checkSizes(OIDCClientMetadata metadata) throws OAuthException {
        for (java.util.Map.Entry<String, Object> field : metadata.toJSONObject().entrySet()) {
            int max = field.getKey().startsWith("client_name") ? MAX_NAME : field.getKey().equals("jwks") ? MAX_METADATA : MAX_FIELD;
            List<?> values = field.getValue() instanceof List<?> list ? list : List.of(String.valueOf(field.getValue()));
            if (values.size() > 50) {
                throw OAuthException.invalidClientMetadata(field.getKey() + " has " + values.size() + " values; at most 50 are accepted");
            }
            for (Object value : values) {
                if (String.valueOf(value).length() > max) {
                    throw OAuthException.invalidClientMetadata(field.getKey() + " is longer than " + max + " characters");
                }
            }
        }
        if (metadata.toJSONObject().toJSONString().length() > MAX_METADATA) {
            throw OAuthException.invalidClientMetadata("The client metadata is longer than " + MAX_METADATA
                    + " characters in all; register keys by jwks_uri rather than jwks");
        }
    }

    /** RFC 7591 §2: jwks or jwks_uri, not both; a jwks_uri must be one Bastion will fetch (public https). */
    private void checkJwksUri(OIDCClientMetadata metadata) throws OAuthException {
        if (metadata.getJWKSetURI() == null) {
            return;
        }
        if (metadata.getJWKSet() != null) {
            throw OAuthException.invalidClientMetadata("jwks and jwks_uri cannot both be registered (RFC 7591 §2); send one");
        }
        try {
            fetcher.check(metadata.getJWKSetURI().toString());
        } catch (OutboundFetcher.Refused e) {
            throw OAuthException.invalidClientMetadata("jwks_uri: " + e.getMessage()
                    + "; it must be an https URL on a public address");
        }
    }

    private static void checkRedirectUris(Set<URI> uris, String field, boolean required) throws OAuthException {
        if (uris == null || uris.isEmpty()) {
            if (required) {
                throw OAuthException.invalidRedirectUri(field + " is required for the authorization_code grant");
            }
            return;
        }
        for (URI uri : uris) {
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw OAuthException.invalidRedirectUri(field + ": '" + uri + "' must be an absolute URI without a fragment (RFC 6749 §3.1.2)");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if ("http".equals(scheme) && !loopback(uri.getHost())) {
                throw OAuthException.invalidRedirectUri(field + ": '" + uri + "' uses http on a host other than localhost; use https");
            }
            if ("javascript".equals(scheme) || "data".equals(scheme) || "file".equals(scheme)) {
                throw OAuthException.invalidRedirectUri(field + ": scheme " + scheme + " is not allowed");
            }
        }
    }

    private static void checkOrigin(String origin) throws OAuthException {
        URI uri;
        try {
            uri = URI.create(origin);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClientMetadata(CORS_ORIGINS + ": '" + origin + "' is not a URI");
        }
        boolean web = "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && loopback(uri.getHost()));
        if (!web || uri.getHost() == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            throw OAuthException.invalidClientMetadata(CORS_ORIGINS + ": '" + origin
                    + "' must be an origin: https://host[:port] (http only for localhost), no path");
        }
    }

    private static boolean loopback(String host) {
        return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
    }
}
