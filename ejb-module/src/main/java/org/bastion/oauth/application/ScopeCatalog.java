package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.Scope;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.OAuthClient;
import org.bastion.oauth.domain.RegistrationPolicy;
import org.bastion.oauth.domain.ScopeDescription;
import org.bastion.smart.domain.SmartScope;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which scopes exist and which a client may ask for. Besides the fixed OpenID Connect and SMART
 * scopes, every scope of the SMART clinical grammar exists; an admin-defined catalogue adds
 * descriptions (and may add scopes of its own).
 */
@Stateless
public class ScopeCatalog {

    /** Scopes with a fixed meaning (OpenID Connect Core §5.4, SMART App Launch 2 §3). */
    public static final List<String> STANDARD = List.of("openid", "profile", "fhirUser", "offline_access", "online_access",
            "launch", "launch/patient", "launch/encounter");

    /**
     * The admin API's scope: granted only to a client whose registered scope names it (the
     * console's), never by default, never by the registration policy.
     */
    public static final String ADMIN = "admin";

    /** A scope token (RFC 6749 §3.3): printable ASCII but space, the double quote and the backslash. */
    public static final java.util.regex.Pattern SCOPE_TOKEN = java.util.regex.Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,255}");

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    /** The requested scopes, each known and allowed for the client, or invalid_scope naming the first that is not. */
    public Set<String> check(Scope requested, OAuthClient client) throws OAuthException {
        Set<String> scopes = new LinkedHashSet<>(requested == null ? List.of() : requested.toStringList());
        for (String scope : scopes) {
            if (!exists(scope)) {
                throw OAuthException.invalidScope("Scope '" + scope + "' is unknown: not an OpenID Connect or SMART scope,"
                        + " not of the SMART form patient|user|system/Type.permissions, and not in this server's catalogue");
            }
            if (!registered(scope, client)) {
                throw OAuthException.invalidScope("Scope '" + scope + "' is not allowed for client " + client.clientId()
                        + "; its registered scopes are: " + (client.metadata().getScope() == null ? "none (any scope but admin)" : client.metadata().getScope()));
            }
            if (!allowed(scope, client)) {
                throw OAuthException.invalidScope("Scope '" + scope + "' needs an admin's approval: client " + client.clientId()
                        + " registered itself, and such clients get only openid, profile, fhirUser, offline_access, launch scopes and"
                        + " patient/ and user/ scopes until an admin approves more (console: Clients, Trust)");
            }
        }
        return scopes;
    }

    /** Scopes that only make sense with a signed-in user: OpenID Connect and SMART launch scopes, patient/ and user/ scopes, admin. */
    public static boolean needsUser(String scope) {
        return scope.startsWith("patient/") || scope.startsWith("user/") || STANDARD.contains(scope) || ADMIN.equals(scope);
    }

    /**
     * The scope a grant without a user asked for, or when it asked for none, the client's registered
     * scopes it may have without a user; nothing grantable is invalid_scope, never an empty token.
     */
    public static Scope requestedOrDefault(Scope requested, OAuthClient client, String grant) throws OAuthException {
        if (requested != null && !requested.isEmpty()) {
            return requested;
        }
        List<String> registered = client.metadata().getScope() == null ? List.of() : client.metadata().getScope().toStringList();
        String[] defaults = registered.stream().filter(s -> !needsUser(s) && allowed(s, client)).toArray(String[]::new);
        if (defaults.length == 0) {
            throw OAuthException.invalidScope("No scope was requested, and client " + client.clientId() + " has no registered scope it may have"
                    + " with " + grant + "; ask for one, e.g. scope=system/Patient.rs");
        }
        return new Scope(defaults);
    }

    /** Sets the consent-page description of a scope (English required, Japanese optional); the scope then exists. */
    public ScopeDescription describe(String name, String english, String japanese) {
        if (name == null || !SCOPE_TOKEN.matcher(name).matches()) {
            throw new org.bastion.platform.InvalidInputException("name", "must be a scope token (RFC 6749 section 3.3: printable ASCII without space, \" and \\)");
        }
        if (english == null || english.isBlank() || english.length() > 1000) {
            throw new org.bastion.platform.InvalidInputException("description_en", "is required, at most 1000 characters");
        }
        if (japanese != null && japanese.length() > 1000) {
            throw new org.bastion.platform.InvalidInputException("description_ja", "must be at most 1000 characters");
        }
        ScopeDescription existing = em.find(ScopeDescription.class, name);
        if (existing != null) {
            em.remove(existing);
            em.flush();
        }
        ScopeDescription description = new ScopeDescription(name, english, japanese);
        em.persist(description);
        return description;
    }

    /** The catalogue: every scope an admin described, by name. */
    public java.util.List<ScopeDescription> described() {
        return em.createQuery("select s from ScopeDescription s order by s.name", ScopeDescription.class).getResultList();
    }

    public boolean remove(String name) {
        ScopeDescription found = name == null ? null : em.find(ScopeDescription.class, name);
        if (found == null) {
            return false;
        }
        em.remove(found);
        return true;
    }

    public Optional<String> adminDescription(String scope, Locale locale) {
        return Optional.ofNullable(em.find(ScopeDescription.class, scope)).map(d -> d.description(locale));
    }

    /** scopes_supported for discovery: the fixed scopes and the catalogue (the SMART grammar is open-ended). */
    public List<String> supported() {
        Set<String> all = new LinkedHashSet<>(STANDARD);
        all.addAll(em.createQuery("select s.name from ScopeDescription s order by s.name", String.class).getResultList());
        return List.copyOf(all);
    }

    private boolean exists(String scope) {
        return STANDARD.contains(scope) || ADMIN.equals(scope) || SmartScope.parse(scope).isPresent() || em.find(ScopeDescription.class, scope) != null;
    }

    /**
     * Whether a client may have a scope now: its registration allows it, and for a client that
     * registered itself, the registration policy or an admin's approval covers it too.
     */
    public static boolean allowed(String scope, OAuthClient client) {
        return registered(scope, client) && (!client.selfRegistered() || RegistrationPolicy.covers(scope) || covered(scope, client.approvedScope()));
    }

    /** A client registered with a scope list may ask for those (or narrower SMART scopes); without one, for any but admin. */
    static boolean registered(String scope, OAuthClient client) {
        Scope registered = client.metadata().getScope();
        if (registered == null) {
            return !ADMIN.equals(scope);
        }
        return covered(scope, registered.toStringList());
    }

    private static boolean covered(String scope, List<String> by) {
        if (by.contains(scope)) {
            return true;
        }
        Optional<SmartScope> asked = SmartScope.parse(scope);
        return asked.isPresent() && by.stream()
                .map(SmartScope::parse)
                .flatMap(Optional::stream)
                .anyMatch(r -> r.covers(asked.get()));
    }
}
