package org.bastion.smart.application;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bastion.identity.application.UserChanged;
import org.bastion.identity.application.UserService;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.application.ClientChanged;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.oauth.application.ScopeCatalog;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.Reach;
import org.bastion.smart.domain.SmartScope;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access policy of a verified token. For Bastion's own tokens the client's registration and
 * the user's standing are consulted again on every request: a disabled or deleted client's or
 * user's tokens stop working, scopes an admin has since taken from the client no longer count,
 * and user/ scopes reach what the user reaches now (within CACHE on every node).
 */
@ApplicationScoped
public class TokenPolicies {

    @EJB
    ClientRegistry clients;

    @EJB
    UserService users;

    /**
     * How long this node reuses what it read of a client's registration or a user's standing: an
     * admin's change reaches tokens issued before within this time on every node (at once on the
     * node that made it, and at once everywhere for revoked tokens).
     */
    static final Duration CACHE = Duration.ofSeconds(5);

    private record Cached<T>(T value, Instant read) {
        boolean fresh(Instant now) {
            return !read.plus(CACHE).isBefore(now);
        }
    }

    /** A user as last read: null when there is no such user. */
    private record Standing(BastionUser user, Reach reach) {
    }

    private final Map<String, Cached<OAuthClient>> clientCache = new ConcurrentHashMap<>();
    private final Map<String, Cached<Standing>> userCache = new ConcurrentHashMap<>();

    /**
     * This node forgets a changed client once the change commits; other nodes within CACHE. Not before
     * the commit: a request or bulk job page reading the client in between would cache the old row
     * (still enabled, still holding a removed scope) for CACHE more.
     */
    void forget(@Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_COMPLETION) ClientChanged change) {
        clientCache.remove(change.clientId());
    }

    void forget(@Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_COMPLETION) UserChanged change) {
        userCache.remove(change.userId());
    }

    private OAuthClient client(String clientId) {
        Instant now = Instant.now();
        Cached<OAuthClient> cached = clientCache.get(clientId);
        if (cached == null || !cached.fresh(now)) {
            OAuthClient client = clients.find(clientId).orElse(null);
            if (client != null) {
                client.metadata();
            }
            cached = new Cached<>(client, now);
            if (clientCache.size() > 10_000) {
                clientCache.clear();
            }
            clientCache.put(clientId, cached);
        }
        return cached.value();
    }

    private Standing standing(String userId) {
        Instant now = Instant.now();
        Cached<Standing> cached = userCache.get(userId);
        if (cached == null || !cached.fresh(now)) {
            BastionUser user = users.find(userId).orElse(null);
            cached = new Cached<>(new Standing(user, user == null ? Reach.NOTHING : users.reach(user)), now);
            if (userCache.size() > 10_000) {
                userCache.clear();
            }
            userCache.put(userId, cached);
        }
        return cached.value();
    }

    /** A token scope as far as the client may still have it: whole, narrowed (system/*.rs to system/Patient.rs), or not. */
    public static List<String> stillAllowed(String scope, OAuthClient client) {
        if (ScopeCatalog.allowed(scope, client)) {
            return List.of(scope);
        }
        Optional<SmartScope> granted = SmartScope.parse(scope);
        if (granted.isEmpty() || client.metadata().getScope() == null) {
            return List.of();
        }
        return client.metadata().getScope().toStringList().stream()
                .map(SmartScope::parse).flatMap(Optional::stream)
                .map(registered -> registered.intersect(granted.get())).flatMap(Optional::stream)
                .map(SmartScope::text)
                .filter(narrowed -> ScopeCatalog.allowed(narrowed, client))
                .toList();
    }

    /** The client a Bastion token was issued to, as long as it is registered and enabled. */
    public OAuthClient liveClient(VerifiedAccessToken token) throws InvalidTokenException {
        return liveClient(token.claims().getClaim("client_id") instanceof String s ? s : null);
    }

    private OAuthClient liveClient(String clientId) throws InvalidTokenException {
        OAuthClient client = clientId == null ? null : client(clientId);
        if (client == null) {
            throw new InvalidTokenException("Token was issued to client '" + clientId + "', which is no longer registered");
        }
        if (!client.enabled()) {
            throw new InvalidTokenException("Token was issued to client '" + clientId + "', which an admin has disabled");
        }
        return client;
    }

    /** The user of a Bastion token, as long as they exist and are enabled; null for a client acting for itself. */
    public BastionUser liveUser(VerifiedAccessToken token, OAuthClient client) throws InvalidTokenException {
        return liveStanding(token, client).user();
    }

    private Standing liveStanding(VerifiedAccessToken token, OAuthClient client) throws InvalidTokenException {
        String subject = token.getSubject();
        if (subject == null) {
            throw new InvalidTokenException("Token has no sub");
        }
        if (subject.equals(client.clientId())) {
            return new Standing(null, Reach.NOTHING);
        }
        Standing standing = standing(subject);
        if (standing.user() == null) {
            throw new InvalidTokenException("Token was issued for user '" + subject + "', who no longer exists");
        }
        if (!standing.user().enabled()) {
            throw new InvalidTokenException("Token was issued for user '" + standing.user().username() + "', whom an admin has disabled");
        }
        return standing;
    }

    /**
     * The policy of a client acting for itself with scopes it was granted earlier (a bulk job runs
     * with its kick-off token's scopes, page after page): nothing once the client is disabled or
     * gone, only the scopes it still has, and no patient or user, so only its system/ scopes count.
     */
    public AccessPolicy clientPolicy(String clientId, java.util.Collection<String> scopes) throws InvalidTokenException {
        OAuthClient client = liveClient(clientId);
        return AccessPolicy.of(scopes.stream().flatMap(scope -> stillAllowed(scope, client).stream()).toList(), null, Reach.NOTHING);
    }

    /**
     * The policy of an admin's own bulk job (an import started in the console): the scopes it was
     * given, as long as the user exists, is enabled and still holds the admin role; no patient or user
     * reach, so only system/ scopes count.
     */
    public AccessPolicy adminPolicy(String userId, java.util.Collection<String> scopes) throws InvalidTokenException {
        BastionUser user = standing(userId).user();
        if (user == null || !user.enabled() || !user.hasRole(BastionUser.ADMIN_ROLE)) {
            throw new InvalidTokenException("The admin who started it (user " + userId + ") is no longer an enabled admin");
        }
        return AccessPolicy.of(List.copyOf(scopes), null, Reach.NOTHING);
    }

    /**
     * The policy of a request with an API key (its token from ApiKeys.asToken): the client's
     * standing and the scopes it still has, as for a token; patient/ scopes reach the key's patient,
     * or, for a key an admin restricted to an organization, each Patient whose managingOrganization
     * it is now (at most {@value UserService#MAX_GRANTED_PATIENTS}: beyond, the key is refused with the reason).
     */
    public AccessPolicy keyPolicy(VerifiedAccessToken token, String organization) throws InvalidTokenException {
        if (organization == null) {
            return policy(token, true);
        }
        OAuthClient client = liveClient(token);
        liveStanding(token, client);
        List<String> scopes = token.scopes().stream().flatMap(scope -> stillAllowed(scope, client).stream()).toList();
        java.util.Set<String> patients = users.managedPatients(organization, UserService.MAX_GRANTED_PATIENTS + 1);
        if (patients.size() > UserService.MAX_GRANTED_PATIENTS) {
            throw new InvalidTokenException("The API key is restricted to Organization/" + organization + ", which manages more than "
                    + UserService.MAX_GRANTED_PATIENTS + " patients, more than a key restricted to an organization may reach;"
                    + " an admin can issue it system/ scopes instead");
        }
        return AccessPolicy.ofReach(scopes, Reach.of(false, patients), Reach.NOTHING);
    }

    public AccessPolicy policy(VerifiedAccessToken token, boolean ownToken) throws InvalidTokenException {
        if (!ownToken) {
            // an external issuer's user claim is its word: a Patient reaches their own record, anyone else nothing
            String patient = AccessPolicy.patientOf(token.fhirUser());
            return AccessPolicy.of(token.scopes(), token.patient(), patient == null ? Reach.NOTHING : Reach.of(false, java.util.Set.of(patient)));
        }
        OAuthClient client = liveClient(token);
        Standing standing = liveStanding(token, client);
        List<String> scopes = token.scopes().stream().flatMap(scope -> stillAllowed(scope, client).stream()).toList();
        return AccessPolicy.of(scopes, token.patient(), standing.reach());
    }
}
