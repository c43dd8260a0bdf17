package org.bastion.smart.domain;

import org.bastion.smart.domain.SmartScope.Context;
import org.bastion.smart.domain.SmartScope.Permission;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What a token may do with FHIR resources, from its SMART scopes and launch context (App Launch
 * 2.x §3): for an interaction on a type, either a refusal or the resources it may touch.
 * patient/ scopes reach the compartment of the token's patient (for an API key an admin restricted
 * to an organization: of each patient it manages); user/ scopes reach what the user
 * reaches (their own record, linked or granted patients, everything an admin granted, or nothing);
 * system/ scopes reach everything the scope names. A v2 scope's query narrows further.
 * Subscriptions (notifications sent out of the server) are for system/ scopes only, and for users
 * an admin let reach every patient: a patient/ scope or a user of a few patients gets none.
 */
public final class AccessPolicy {

    /**
     * Every interaction on everything, for the server's own work only: bootstrap and batch jobs
     * (the demo data load). No request path may use it.
     */
    public static final AccessPolicy SERVER = new AccessPolicy(List.of(SmartScope.parse("system/*.cruds").orElseThrow()), Reach.NOTHING, Reach.NOTHING, true);

    /** The resource type whose instances make the server send data out (R4 rest-hook). */
    public static final String SUBSCRIPTION = "Subscription";

    /** Nothing at all: what a request has until its token is verified. */
    public static final AccessPolicy NOTHING = new AccessPolicy(List.of(), Reach.NOTHING, Reach.NOTHING, false);

    private final List<SmartScope> scopes;
    private final Reach patientReach;
    private final Reach userReach;
    private final boolean server;

    private AccessPolicy(List<SmartScope> scopes, Reach patientReach, Reach userReach, boolean server) {
        this.scopes = scopes;
        this.patientReach = patientReach;
        this.userReach = userReach;
        this.server = server;
    }

    /**
     * @param grantedScopes the token's scopes (others than SMART resource scopes are ignored)
     * @param patient       the token's patient claim (launch context), or null
     * @param userReach     the patients the token's user reaches, for user/ scopes
     */
    public static AccessPolicy of(Collection<String> grantedScopes, String patient, Reach userReach) {
        String id = blankToNull(patient);
        return ofReach(grantedScopes, id == null ? Reach.NOTHING : Reach.of(false, java.util.Set.of(id)), userReach);
    }

    /**
     * @param patientReach the patients patient/ scopes reach: the token's patient, or those an API
     *                     key's organization manages (never every patient: that is no patient context)
     */
    public static AccessPolicy ofReach(Collection<String> grantedScopes, Reach patientReach, Reach userReach) {
        List<SmartScope> scopes = new ArrayList<>();
        grantedScopes.forEach(s -> SmartScope.parse(s).ifPresent(scopes::add));
        return new AccessPolicy(List.copyOf(scopes), patientReach instanceof Reach.Patients ? patientReach : Reach.NOTHING,
                userReach == null ? Reach.NOTHING : userReach, false);
    }

    /** The fhirUser reference (or URL ending in Type/id) of a Patient, as its id; null for anyone else. */
    public static String patientOf(String fhirUser) {
        if (fhirUser == null) {
            return null;
        }
        String[] parts = fhirUser.split("/");
        return parts.length >= 2 && parts[parts.length - 2].equals("Patient") && !parts[parts.length - 1].isBlank()
                ? parts[parts.length - 1] : null;
    }

    /** One way a scope grants access: within a patient's compartment (or anywhere when null), matching a query (or anything). */
    public record Alternative(String patient, String query) {
        public boolean unrestricted() {
            return patient == null && query == null;
        }
    }

    /** The resources an interaction may touch: those matching any alternative; no alternatives means none. */
    public record Restriction(List<Alternative> alternatives) {
        public boolean unrestricted() {
            return alternatives.stream().anyMatch(Alternative::unrestricted);
        }

        public boolean denied() {
            return alternatives.isEmpty();
        }

        /** Whether some alternative may reach into a patient's compartment. */
        public boolean reachesPatient(String patientId) {
            return alternatives.stream().anyMatch(a -> a.patient() == null || a.patient().equals(patientId));
        }
    }

    /** The restriction for an interaction on a resource type; denied() when no scope grants it. */
    public Restriction restriction(Permission permission, String resourceType) {
        List<Alternative> alternatives = new ArrayList<>();
        for (SmartScope scope : scopes) {
            if (!scope.permissions().contains(permission) || !(scope.allResourceTypes() || scope.resourceType().equals(resourceType))) {
                continue;
            }
            for (Alternative alternative : alternatives(scope, resourceType)) {
                if (alternative.unrestricted()) {
                    return new Restriction(List.of(alternative));
                }
                if (!alternatives.contains(alternative)) {
                    alternatives.add(alternative);
                }
            }
        }
        return new Restriction(List.copyOf(alternatives));
    }

    /** The ways one scope grants access: none when its context cannot apply (no patient claim, a user who reaches nothing). */
    private List<Alternative> alternatives(SmartScope scope, String resourceType) {
        if (resourceType.equals(SUBSCRIPTION) && !(scope.context() == Context.SYSTEM
                || scope.context() == Context.USER && userReach instanceof Reach.Everything)) {
            return List.of();
        }
        return switch (scope.context()) {
            case SYSTEM -> List.of(new Alternative(null, scope.query()));
            case PATIENT -> each(patientReach, scope);
            case USER -> userReach instanceof Reach.Everything ? List.of(new Alternative(null, scope.query())) : each(userReach, scope);
        };
    }

    /** A scope within each patient's compartment of a reach (none for one that reaches no patient). */
    private static List<Alternative> each(Reach reach, SmartScope scope) {
        return reach instanceof Reach.Patients patients
                ? patients.ids().stream().sorted().map(id -> new Alternative(id, scope.query())).toList()
                : List.of();
    }

    /** Whether this is the server's own authority (bootstrap and batch jobs). */
    public boolean server() {
        return server;
    }

    /** Why an interaction is refused, naming the scopes that would allow it, for a 403 OperationOutcome. */
    public String refusal(Permission permission, String resourceType) {
        String letter = switch (permission) {
            case CREATE -> "c";
            case READ -> "r";
            case UPDATE -> "u";
            case DELETE -> "d";
            case SEARCH -> "s";
        };
        String v1 = permission == Permission.READ || permission == Permission.SEARCH ? "read" : "write";
        String what = permission.name().toLowerCase(Locale.ROOT) + " of " + resourceType;
        StringBuilder message = new StringBuilder("The access token's scopes do not allow " + what + ": it needs the scope patient/"
                + resourceType + "." + letter + ", user/" + resourceType + "." + letter + " or system/" + resourceType + "." + letter
                + " (SMART v2; v1: ." + v1 + "), or the same with * for the type");
        boolean patientScopes = scopes.stream().anyMatch(s -> s.context() == Context.PATIENT);
        if (patientReach instanceof Reach.Nothing && patientScopes) {
            message.append("; its patient/ scopes grant nothing because the token has no patient claim (launch context),"
                    + " or, for an API key restricted to an organization, because no patient names it as managingOrganization");
        }
        boolean userScopes = scopes.stream().anyMatch(s -> s.context() == Context.USER);
        if (userScopes && userReach instanceof Reach.Nothing) {
            message.append("; its user/ scopes grant nothing because the token's user reaches no patient (a Patient fhirUser,"
                    + " a linked RelatedPerson or an admin's grant gives a user their reach)");
        }
        if (resourceType.equals(SUBSCRIPTION)) {
            message.append("; Subscriptions are only for system/ scopes (a backend service an admin granted them) and users who reach every patient");
        }
        message.append(". Granted: ").append(scopes.isEmpty() ? "no SMART resource scopes" : String.join(" ", scopes.stream().map(SmartScope::text).toList()));
        return message.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
