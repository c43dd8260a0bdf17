package org.bastion.smart.domain;

import org.bastion.smart.domain.SmartScope.Context;
import org.bastion.smart.domain.SmartScope.Permission;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token may do with FHIR resources, from its SMART scopes and launch context (App Launch
 * 2.x §3): for an interaction on a type, either a refusal or the resources it may touch.
 * patient/ scopes reach the compartment of the token's patient; user/ scopes act as the
 * fhirUser (a Patient user reaches their own compartment, anyone else what the scope says);
 * system/ scopes reach everything the scope names. A v2 scope's query narrows further.
 */
public final class AccessPolicy {

    /** Every interaction on everything: for work the server does on its own behalf. */
    public static final AccessPolicy SYSTEM = new AccessPolicy(List.of(SmartScope.parse("system/*.cruds").orElseThrow()), null, null, true);

    private final List<SmartScope> scopes;
    private final String patient;
    private final String fhirUserPatient;
    private final boolean system;

    private AccessPolicy(List<SmartScope> scopes, String patient, String fhirUserPatient, boolean system) {
        this.scopes = scopes;
        this.patient = patient;
        this.fhirUserPatient = fhirUserPatient;
        this.system = system;
    }

    /**
     * @param grantedScopes the token's scopes (others than SMART resource scopes are ignored)
     * @param patient       the token's patient claim (launch context), or null
     * @param fhirUser      the token's fhirUser claim (a reference or URL ending in Type/id), or null
     */
    public static AccessPolicy of(Collection<String> grantedScopes, String patient, String fhirUser) {
        List<SmartScope> scopes = new ArrayList<>();
        grantedScopes.forEach(s -> SmartScope.parse(s).ifPresent(scopes::add));
        String userPatient = null;
        if (fhirUser != null) {
            String[] parts = fhirUser.split("/");
            if (parts.length >= 2 && parts[parts.length - 2].equals("Patient")) {
                userPatient = parts[parts.length - 1];
            }
        }
        return new AccessPolicy(List.copyOf(scopes), blankToNull(patient), userPatient, false);
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
    }

    /** The restriction for an interaction on a resource type; denied() when no scope grants it. */
    public Restriction restriction(Permission permission, String resourceType) {
        List<Alternative> alternatives = new ArrayList<>();
        for (SmartScope scope : scopes) {
            if (!scope.permissions().contains(permission) || !(scope.allResourceTypes() || scope.resourceType().equals(resourceType))) {
                continue;
            }
            Optional<String> compartment = compartment(scope.context());
            if (compartment == null) {
                continue;
            }
            Alternative alternative = new Alternative(compartment.orElse(null), scope.query());
            if (alternative.unrestricted()) {
                return new Restriction(List.of(alternative));
            }
            if (!alternatives.contains(alternative)) {
                alternatives.add(alternative);
            }
        }
        return new Restriction(List.copyOf(alternatives));
    }

    /** The patient a context's scopes are confined to: empty for none, null when the scope cannot apply. */
    private Optional<String> compartment(Context context) {
        return switch (context) {
            case SYSTEM -> Optional.empty();
            case USER -> Optional.ofNullable(fhirUserPatient);
            case PATIENT -> patient == null ? null : Optional.of(patient);
        };
    }

    public boolean system() {
        return system;
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
        if (patient == null && patientScopes) {
            message.append("; its patient/ scopes grant nothing because the token has no patient claim (launch context)");
        }
        message.append(". Granted: ").append(scopes.isEmpty() ? "no SMART resource scopes" : String.join(" ", scopes.stream().map(SmartScope::text).toList()));
        return message.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
