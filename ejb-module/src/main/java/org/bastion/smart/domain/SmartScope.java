package org.bastion.smart.domain;

import org.hl7.fhir.r4.model.ResourceType;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART clinical scope (App Launch 2.x §3.0.2): {@code context/resource.permissions[?query]}.
 * v1 permissions are read, write and *; v2 permissions are letters of "cruds" in that order.
 */
public record SmartScope(Context context, String resourceType, Set<Permission> permissions, String query, boolean v1) {

    private static final Pattern GRAMMAR = Pattern.compile("(patient|user|system)/([A-Za-z]+|\\*)\\.([a-z*]+)(\\?.+)?");
    private static final Pattern V2_PERMISSIONS = Pattern.compile("c?r?u?d?s?");

    public enum Context { PATIENT, USER, SYSTEM }

    /** SMART v2 permissions; v1 read means r+s, write means c+u+d. */
    public enum Permission { CREATE, READ, UPDATE, DELETE, SEARCH }

    public static Optional<SmartScope> parse(String scope) {
        Matcher m = GRAMMAR.matcher(scope);
        if (!m.matches() || !knownResourceType(m.group(2))) {
            return Optional.empty();
        }
        Context context = Context.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        String query = m.group(4) == null ? null : m.group(4).substring(1);
        return permissions(m.group(3), query)
                .map(p -> new SmartScope(context, m.group(2), p.permissions(), query, p.v1()));
    }

    /** Whether this scope (as registered for a client) allows everything the other asks for. */
    public boolean covers(SmartScope other) {
        return context == other.context
                && (allResourceTypes() || resourceType.equals(other.resourceType))
                && permissions.containsAll(other.permissions)
                && (query == null || query.equals(other.query));
    }

    /** What two scopes both allow (a token's scope within what its client may still have), if anything. */
    public Optional<SmartScope> intersect(SmartScope other) {
        if (context != other.context || !allResourceTypes() && !other.allResourceTypes() && !resourceType.equals(other.resourceType)
                || query != null && other.query != null && !query.equals(other.query)) {
            return Optional.empty();
        }
        EnumSet<Permission> both = EnumSet.noneOf(Permission.class);
        both.addAll(permissions);
        both.retainAll(other.permissions);
        if (both.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SmartScope(context, allResourceTypes() ? other.resourceType : resourceType, both,
                query != null ? query : other.query, false));
    }

    /** The scope as written in a token. */
    public String text() {
        String perms;
        if (v1) {
            perms = permissions.size() == Permission.values().length ? "*" : permissions.contains(Permission.READ) ? "read" : "write";
        } else {
            StringBuilder letters = new StringBuilder();
            permissions.stream().sorted().forEach(p -> letters.append(switch (p) {
                case CREATE -> 'c';
                case READ -> 'r';
                case UPDATE -> 'u';
                case DELETE -> 'd';
                case SEARCH -> 's';
            }));
            perms = letters.toString();
        }
        return context.name().toLowerCase(java.util.Locale.ROOT) + "/" + resourceType + "." + perms + (query == null ? "" : "?" + query);
    }

    public boolean allResourceTypes() {
        return "*".equals(resourceType);
    }

    private record Parsed(Set<Permission> permissions, boolean v1) {
    }

    private static Optional<Parsed> permissions(String text, String query) {
        switch (text) {
            case "read":
                return query == null ? Optional.of(new Parsed(EnumSet.of(Permission.READ, Permission.SEARCH), true)) : Optional.empty();
            case "write":
                return query == null ? Optional.of(new Parsed(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE), true)) : Optional.empty();
            case "*":
                return query == null ? Optional.of(new Parsed(EnumSet.allOf(Permission.class), true)) : Optional.empty();
            default:
                if (text.isEmpty() || !V2_PERMISSIONS.matcher(text).matches()) {
                    return Optional.empty();
                }
                EnumSet<Permission> set = EnumSet.noneOf(Permission.class);
                for (char c : text.toCharArray()) {
                    set.add(switch (c) {
                        case 'c' -> Permission.CREATE;
                        case 'r' -> Permission.READ;
                        case 'u' -> Permission.UPDATE;
                        case 'd' -> Permission.DELETE;
                        default -> Permission.SEARCH;
                    });
                }
                return Optional.of(new Parsed(set, false));
        }
    }

    private static boolean knownResourceType(String type) {
        if ("*".equals(type)) {
            return true;
        }
        try {
            ResourceType.fromCode(type);
            return true;
        } catch (org.hl7.fhir.exceptions.FHIRException e) {
            return false;
        }
    }
}
