package org.bastion.fhir.search;

import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.domain.FhirLimits;
import org.bastion.smart.domain.AccessPolicy;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A FHIR search turned into SQL over the index tables: each parameter an EXISTS clause (AND by
 * repetition), each comma-separated value an alternative inside it (OR), as R4 search.html says.
 */
public final class SearchQuery {

    /** Parameters about the result, not the match. */
    static final Set<String> RESULT_PARAMS = Set.of("_count", "_offset", "_cursor", "_prev", "_sort", "_total", "_summary", "_elements",
            "_format", "_pretty", "_include", "_revinclude", "_contained", "_containedType");
    public static final Set<RestSearchParameterTypeEnum> SUPPORTED = Set.of(RestSearchParameterTypeEnum.STRING,
            RestSearchParameterTypeEnum.TOKEN, RestSearchParameterTypeEnum.REFERENCE, RestSearchParameterTypeEnum.DATE,
            RestSearchParameterTypeEnum.NUMBER, RestSearchParameterTypeEnum.QUANTITY, RestSearchParameterTypeEnum.URI);

    private final String type;
    private final StringBuilder where = new StringBuilder();
    private final List<Object> args = new ArrayList<>();
    private final List<String> ignored = new ArrayList<>();

    /** What the token may search of each type: chained parameters and _has look into other resources only within it. */
    private final Function<String, AccessPolicy.Restriction> reach;
    private final FhirLimits limits;
    /** How many chain links or _has levels deep the clause being built is. */
    private int depth;

    /**
     * The server's own query (by ids it already holds, any number of them), which looks into no
     * other resource type (a chain or _has in it finds nothing).
     */
    public SearchQuery(String type, Map<String, List<String>> params) {
        this(type, params, other -> new AccessPolicy.Restriction(List.of()), FhirLimits.DEFAULT.withOrValues(Integer.MAX_VALUE));
    }

    public SearchQuery(String type, Map<String, List<String>> params, Function<String, AccessPolicy.Restriction> reach) {
        this(type, params, reach, FhirLimits.DEFAULT);
    }

    public SearchQuery(String type, Map<String, List<String>> params, Function<String, AccessPolicy.Restriction> reach, FhirLimits limits) {
        this.type = type;
        this.reach = reach;
        this.limits = limits;
        for (Map.Entry<String, List<String>> entry : params.entrySet()) {
            String key = entry.getKey();
            if (RESULT_PARAMS.contains(key.split(":", 2)[0])) {
                continue;
            }
            for (String value : entry.getValue()) {
                List<Object> clauseArgs = new ArrayList<>();
                String clause = clause("r", type, key, value, clauseArgs);
                if (clause == null) {
                    ignored.add(key);
                    break;
                }
                where.append(" and ").append(clause);
                args.addAll(clauseArgs);
            }
        }
        sort(first(params, "_sort"));
    }

    private int aliases;

    private String alias(String prefix) {
        return prefix + (++aliases);
    }

    /** One parameter (name[:modifier][.chain]=value) on the resource aliased r: SQL, or null when unknown. */
    private String clause(String r, String resourceType, String key, String value, List<Object> out) {
        boolean nested = key.startsWith("_has:") || key.indexOf('.') > 0;
        if (nested && ++depth > limits.chainDepth()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded("The chain or _has nesting of " + key,
                    limits.chainDepth(), "BASTION_FHIR_MAX_CHAIN_DEPTH"));
        }
        try {
            return nested ? nestedClause(r, resourceType, key, value, out) : simpleClause(r, resourceType, key, value, out);
        } finally {
            if (nested) {
                depth--;
            }
        }
    }

    private String nestedClause(String r, String resourceType, String key, String value, List<Object> out) {
        if (key.startsWith("_has:")) {
            return has(r, resourceType, key, value, out);
        }
        int dot = key.indexOf('.');
        return chain(r, resourceType, key.substring(0, dot), key.substring(dot + 1), value, out);
    }

    /** One parameter without chain or _has: name[:modifier]=value[,value…]. */
    private String simpleClause(String r, String resourceType, String key, String value, List<Object> out) {
        String[] values = value.split("(?<!\\\\),");
        if (values.length > limits.orValues()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded(values.length + " values of " + key,
                    limits.orValues(), "BASTION_FHIR_MAX_OR_VALUES"));
        }
        String[] nameAndModifier = key.split(":", 2);
        String name = nameAndModifier[0];
        String modifier = nameAndModifier.length > 1 ? nameAndModifier[1] : null;
        if (name.equals("_id")) {
            List<String> ids = List.of(value.split(","));
            out.addAll(ids);
            return r + ".resource_id in (" + String.join(", ", ids.stream().map(i -> "?").toList()) + ")";
        }
        if (name.equals("_lastUpdated")) {
            return "(" + DateValue.parse("_lastUpdated", value).clause(r + ".last_updated", r + ".last_updated", out) + ")";
        }
        RuntimeSearchParam param = Fhir.r4().getResourceDefinition(resourceType).getSearchParam(name);
        if (param == null || !SUPPORTED.contains(param.getParamType())) {
            return null;
        }
        // reference:identifier matches Reference.identifier, indexed as a token of the same parameter
        RestSearchParameterTypeEnum kind = "identifier".equals(modifier) && param.getParamType() == RestSearchParameterTypeEnum.REFERENCE
                ? RestSearchParameterTypeEnum.TOKEN : param.getParamType();
        String indexParam = "of-type".equals(modifier) ? param.getName() + SearchIndexer.OF_TYPE : param.getName();
        String table = table(kind);
        String i = alias("i");
        // resource_type and param lead every index, so each parameter is an index range scan, not a scan of the table
        if ("missing".equals(modifier)) {
            out.add(resourceType);
            out.add(param.getName());
            return ("true".equals(value) ? "not exists" : "exists") + " (select 1 from " + table + " " + i + " where "
                    + i + ".resource_pk = " + r + ".pk and " + i + ".resource_type = ? and " + i + ".param = ?)";
        }
        List<String> alternatives = new ArrayList<>();
        List<Object> alternativeArgs = new ArrayList<>();
        for (String one : values) {
            alternatives.add(alternative(param, kind, modifier, one.replace("\\,", ","), alternativeArgs).replace("i.", i + "."));
        }
        out.add(resourceType);
        out.add(indexParam);
        out.addAll(alternativeArgs);
        return "exists (select 1 from " + table + " " + i + " where " + i + ".resource_pk = " + r + ".pk and " + i
                + ".resource_type = ? and " + i + ".param = ? and ("
                + String.join(" or ", alternatives) + "))";
    }

    /** Chained parameters (R4 search.html#chaining): subject:Patient.name=x matches through the referenced resource. */
    private String chain(String r, String resourceType, String reference, String rest, String value, List<Object> out) {
        String[] nameAndType = reference.split(":", 2);
        RuntimeSearchParam param = Fhir.r4().getResourceDefinition(resourceType).getSearchParam(nameAndType[0]);
        if (param == null || param.getParamType() != RestSearchParameterTypeEnum.REFERENCE) {
            return null;
        }
        String target = nameAndType.length > 1 ? nameAndType[1] : param.getTargets().size() == 1 ? param.getTargets().iterator().next() : null;
        if (target == null || !Fhir.isResourceType(target)) {
            throw new FhirException(400, IssueType.INVALID, "Chained parameter " + reference + "." + rest + " is ambiguous: "
                    + nameAndType[0] + " may point at " + param.getTargets() + "; name the type, e.g. " + nameAndType[0] + ":Patient." + rest);
        }
        String c = alias("c");
        String t = alias("t");
        List<Object> inner = new ArrayList<>();
        String nested = clause(t, target, rest, value, inner);
        if (nested == null) {
            return null;
        }
        // the referenced resource must itself be within the token's reach, or the chain answers questions about others
        List<Object> reachArgs = new ArrayList<>();
        String within = restriction(t, target, reach.apply(target), reachArgs);
        out.add(resourceType);
        out.add(param.getName());
        out.add(target);
        out.addAll(inner);
        out.addAll(reachArgs);
        return "exists (select 1 from fhir_idx_reference " + c + " join fhir_resource " + t + " on " + t + ".resource_type = "
                + c + ".target_type and " + t + ".resource_id = " + c + ".target_id and " + t + ".deleted = false where "
                + c + ".resource_pk = " + r + ".pk and " + c + ".resource_type = ? and " + c + ".param = ? and " + c + ".target_type = ? and "
                + nested + (within == null ? "" : " and " + within) + ")";
    }

    /** Reverse chaining (R4 search.html#has): _has:Observation:patient:code=x matches what such Observations point at. */
    private String has(String r, String resourceType, String key, String value, List<Object> out) {
        String[] parts = key.split(":", 4);
        if (parts.length < 4 || !Fhir.isResourceType(parts[1])) {
            throw new FhirException(400, IssueType.INVALID, "_has takes the form _has:Type:reference:parameter=value, not " + key);
        }
        String h = alias("h");
        String o = alias("o");
        List<Object> inner = new ArrayList<>();
        String nested = clause(o, parts[1], parts[3], value, inner);
        if (nested == null) {
            return null;
        }
        // only resources the token may search of that type count, or _has answers questions about others
        List<Object> reachArgs = new ArrayList<>();
        String within = restriction(o, parts[1], reach.apply(parts[1]), reachArgs);
        out.add(parts[1]);
        out.add(parts[2]);
        out.add(resourceType);
        out.addAll(inner);
        out.addAll(reachArgs);
        return "exists (select 1 from fhir_idx_reference " + h + " join fhir_resource " + o + " on " + o + ".pk = " + h
                + ".resource_pk and " + o + ".deleted = false where " + h + ".resource_type = ? and " + h + ".param = ? and "
                + h + ".target_type = ? and " + h + ".target_id = " + r + ".resource_id and " + nested
                + (within == null ? "" : " and " + within) + ")";
    }

    /** _sort (R4 search.html#sort): several keys, - for descending; the newest first after them, then the key. */
    private void sort(String sortParam) {
        if (sortParam == null || sortParam.isBlank()) {
            return;
        }
        for (String key : sortParam.split(",")) {
            boolean descending = key.startsWith("-");
            String name = descending ? key.substring(1) : key;
            String expression;
            if (name.equals("_lastUpdated")) {
                expression = "r.last_updated";
            } else if (name.equals("_id")) {
                expression = "r.resource_id";
            } else {
                RuntimeSearchParam param = Fhir.r4().getResourceDefinition(type).getSearchParam(name);
                if (param == null || !SUPPORTED.contains(param.getParamType())) {
                    throw new FhirException(400, IssueType.NOTSUPPORTED, "_sort by '" + name + "' is not supported for " + type);
                }
                String column = switch (param.getParamType()) {
                    case STRING -> "value_norm";
                    case TOKEN -> "token_code";
                    case REFERENCE -> "target_id";
                    case DATE, NUMBER, QUANTITY -> descending ? "value_high" : "value_low";
                    default -> "uri";
                };
                String s = alias("s");
                expression = "(select " + (descending ? "max" : "min") + "(" + s + "." + column + ") from " + table(param.getParamType())
                        + " " + s + " where " + s + ".resource_pk = r.pk and " + s + ".param = ?)";
                orderArgs.add(param.getName());
            }
            order.append(expression).append(descending ? " desc" : " asc").append(", ");
        }
    }

    private final StringBuilder order = new StringBuilder();
    private final List<Object> orderArgs = new ArrayList<>();

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Narrows the search to one compartment (R4 compartmentdefinition.html): the resources whose
     * compartment-defining references point at that Patient, Encounter, Practitioner, ...
     */
    public SearchQuery inCompartment(String compartmentType, String compartmentId) {
        if (compartmentParams(type, compartmentType).isEmpty()) {
            throw new FhirException(400, IssueType.NOTSUPPORTED, type + " is not in the " + compartmentType + " compartment");
        }
        where.append(" and ").append(compartment("r", type, compartmentType, compartmentId, args));
        return this;
    }

    /** The resources whose compartment-defining references point at the compartment's owner, or null when the type has none. */
    private String compartment(String r, String resourceType, String compartmentType, String compartmentId, List<Object> out) {
        List<String> params = compartmentParams(resourceType, compartmentType);
        if (params.isEmpty()) {
            return null;
        }
        String x = alias("x");
        out.add(compartmentType);
        out.add(compartmentId);
        out.addAll(params);
        return "exists (select 1 from fhir_idx_reference " + x + " where " + x + ".resource_pk = " + r + ".pk and " + x + ".target_type = ? and "
                + x + ".target_id = ? and " + x + ".param in (" + String.join(", ", params.stream().map(p -> "?").toList()) + "))";
    }

    /**
     * Narrows the search to what a token may see (SMART scopes): resources matching any of the
     * alternatives, each a patient's compartment and/or a scope's query.
     */
    public SearchQuery restrict(AccessPolicy.Restriction restriction) {
        String clause = restriction("r", type, restriction, args);
        if (clause != null) {
            where.append(" and ").append(clause);
        }
        return this;
    }

    /**
     * SQL for "the resource aliased r is within the restriction", or null when it is unrestricted.
     * The Patient resource is in its own compartment. A type the Patient compartment does not
     * define (Task, Device, Bundle, Practitioner …) is within a patient's reach only when one of
     * its references points at that patient; one that references no patient is out of reach.
     */
    private String restriction(String r, String resourceType, AccessPolicy.Restriction restriction, List<Object> out) {
        if (restriction.unrestricted()) {
            return null;
        }
        List<String> alternatives = new ArrayList<>();
        for (AccessPolicy.Alternative alternative : restriction.alternatives()) {
            StringBuilder sql = new StringBuilder("1 = 1");
            if (alternative.patient() != null) {
                List<Object> compartmentArgs = new ArrayList<>();
                String inCompartment = compartment(r, resourceType, "Patient", alternative.patient(), compartmentArgs);
                if (resourceType.equals("Patient")) {
                    sql.append(" and (").append(r).append(".resource_id = ?").append(inCompartment == null ? "" : " or " + inCompartment).append(')');
                    out.add(alternative.patient());
                    out.addAll(compartmentArgs);
                } else if (inCompartment != null) {
                    sql.append(" and ").append(inCompartment);
                    out.addAll(compartmentArgs);
                } else {
                    String x = alias("x");
                    sql.append(" and exists (select 1 from fhir_idx_reference ").append(x).append(" where ").append(x).append(".resource_pk = ")
                            .append(r).append(".pk and ").append(x).append(".target_type = 'Patient' and ").append(x).append(".target_id = ?)");
                    out.add(alternative.patient());
                }
            }
            if (alternative.query() != null) {
                for (Map.Entry<String, List<String>> entry : Fhir.parseQuery(alternative.query()).entrySet()) {
                    for (String value : entry.getValue()) {
                        List<Object> clauseArgs = new ArrayList<>();
                        String clause = entry.getKey().startsWith("_has:") || entry.getKey().contains(".") ? null
                                : clause(r, resourceType, entry.getKey(), value, clauseArgs);
                        // a scope query this server cannot evaluate grants nothing rather than everything
                        sql.append(" and ").append(clause == null ? "1 = 0" : clause);
                        if (clause != null) {
                            out.addAll(clauseArgs);
                        }
                    }
                }
            }
            alternatives.add("(" + sql + ")");
        }
        return "(" + (alternatives.isEmpty() ? "1 = 0" : String.join(" or ", alternatives)) + ")";
    }

    /** The search parameters of a resource type that put it in a compartment (HAPI's R4 compartment definitions). */
    public static List<String> compartmentParams(String resourceType, String compartmentType) {
        return Fhir.r4().getResourceDefinition(resourceType).getSearchParams().stream()
                .filter(p -> p.getProvidesMembershipInCompartments() != null && p.getProvidesMembershipInCompartments().contains(compartmentType))
                .map(RuntimeSearchParam::getName)
                .toList();
    }

    /** Parameters this server does not know for the type, for lenient handling's OperationOutcome. */
    public List<String> ignored() {
        return ignored;
    }

    /** The ids of the matches (for checking which of a few resources a token may see). */
    public String idSql() {
        return "select r.resource_id from fhir_resource r where r.resource_type = ? and r.deleted = false" + where;
    }

    public String countSql() {
        return "select count(*) from fhir_resource r where r.resource_type = ? and r.deleted = false" + where;
    }

    /** Newest first, then by key, so pages are stable while nothing changes. */
    public String pageSql() {
        return "select r.pk, r.body from fhir_resource r where r.resource_type = ? and r.deleted = false" + where
                + " order by " + order + "r.last_updated desc, r.pk desc offset ? rows fetch next ? rows only";
    }

    /** Without _sort, pages follow the key (newest first) from a cursor, so writes never shift them. */
    public boolean keyset() {
        return order.length() == 0;
    }

    /** A keyset page: after (or, backwards, before) the cursor key; one row more than asked tells whether there is more. */
    public String keysetSql(boolean backwards, boolean fromCursor) {
        return "select r.pk, r.body from fhir_resource r where r.resource_type = ? and r.deleted = false" + where
                + (fromCursor ? (backwards ? " and r.pk > ?" : " and r.pk < ?") : "")
                + " order by r.pk " + (backwards ? "asc" : "desc") + " fetch first ? rows only";
    }

    public List<Object> args() {
        List<Object> all = new ArrayList<>();
        all.add(type);
        all.addAll(args);
        return all;
    }

    /** The page query's arguments: the match's, then the sort keys'. */
    public List<Object> pageArgs() {
        List<Object> all = args();
        all.addAll(orderArgs);
        return all;
    }

    private String alternative(RuntimeSearchParam param, RestSearchParameterTypeEnum kind, String modifier, String value, List<Object> out) {
        switch (kind) {
            case STRING -> {
                if ("exact".equals(modifier)) {
                    out.add(Normalizer.truncate(value));
                    return "i.value_exact = ?";
                }
                out.add(("contains".equals(modifier) ? "%" : "") + like(Normalizer.normalize(value)) + "%");
                return "i.value_norm like ? escape '!'";
            }
            case TOKEN -> {
                if ("text".equals(modifier)) {
                    out.add(like(Normalizer.normalize(value)) + "%");
                    return "i.token_text like ? escape '!'";
                }
                if ("of-type".equals(modifier)) {
                    // identifier:of-type=[type system]|[type code]|[value] (R4 search.html#token)
                    String[] parts = value.split("\\|", 3);
                    if (parts.length < 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
                        throw new FhirException(400, IssueType.INVALID, "Search parameter " + param.getName()
                                + ":of-type takes [type system]|[type code]|[value], e.g. http://terminology.hl7.org/CodeSystem/v2-0203|MR|12345, not '"
                                + value + "'");
                    }
                    out.add(parts[0]);
                    out.add(Normalizer.truncate(parts[1] + "|" + parts[2]));
                    return "(i.token_system = ? and i.token_code = ?)";
                }
                int bar = value.indexOf('|');
                if (bar < 0) {
                    out.add(value);
                    return "not".equals(modifier) ? "i.token_code <> ?" : "i.token_code = ?";
                }
                String system = value.substring(0, bar);
                String code = value.substring(bar + 1);
                if (system.isEmpty()) {
                    out.add(code);
                    return "(i.token_system is null and i.token_code = ?)";
                }
                out.add(system);
                if (code.isEmpty()) {
                    return "i.token_system = ?";
                }
                out.add(code);
                return "(i.token_system = ? and i.token_code = ?)";
            }
            case REFERENCE -> {
                String target = value;
                String targetType = modifier != null && Fhir.isResourceType(modifier) ? modifier : null;
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    out.add(target);
                    return "i.target_url = ?";
                }
                int slash = target.indexOf('/');
                if (slash > 0) {
                    targetType = target.substring(0, slash);
                    target = target.substring(slash + 1);
                }
                out.add(target);
                if (targetType == null) {
                    return "i.target_id = ?";
                }
                out.add(targetType);
                return "(i.target_id = ? and i.target_type = ?)";
            }
            case DATE -> {
                // an open period end stands for the beginning or the end of time
                return DateValue.parse(param.getName(), value).clause(
                        "coalesce(i.value_low, timestamp with time zone '0001-01-01 00:00:00+00:00')",
                        "coalesce(i.value_high, timestamp with time zone '9999-12-31 23:59:59+00:00')", out);
            }
            case NUMBER, QUANTITY -> {
                return number(param, value, out);
            }
            case URI -> {
                if ("below".equals(modifier)) {
                    out.add(like(value) + "%");
                    return "i.uri like ? escape '!'";
                }
                out.add(value);
                return "i.uri = ?";
            }
            default -> throw new FhirException(400, IssueType.NOTSUPPORTED, "Search parameter " + param.getName() + " is not supported");
        }
    }

    private static String number(RuntimeSearchParam param, String value, List<Object> out) {
        String[] parts = value.split("\\|", 3);
        Prefixed prefixed = Prefixed.of(parts[0]);
        BigDecimal number;
        try {
            number = new BigDecimal(prefixed.value());
        } catch (NumberFormatException e) {
            throw new FhirException(400, IssueType.INVALID, "Search parameter " + param.getName() + ": '" + parts[0]
                    + "' is not a number (optionally prefixed with eq, ne, gt, lt, ge, le, sa, eb, ap)");
        }
        if (!NumberRange.fits(number)) {
            throw new FhirException(400, IssueType.TOOCOSTLY, "Search parameter " + param.getName() + ": '" + parts[0]
                    + "' is out of range: " + NumberRange.LIMIT);
        }
        BigDecimal[] range = NumberRange.of(number);
        if (prefixed.prefix().equals("ap")) {
            // approximately: within 10 % of the value (R4 search.html#prefix)
            BigDecimal tenth = number.abs().divide(BigDecimal.TEN);
            range = new BigDecimal[]{range[0].subtract(tenth), range[1].add(tenth)};
        }
        StringBuilder clause = new StringBuilder("(").append(prefixed.compare("i.value_low", "i.value_high", out, range[0], range[1]));
        if (parts.length > 1 && !parts[1].isEmpty()) {
            clause.append(" and i.unit_system = ?");
            out.add(parts[1]);
        }
        if (parts.length > 2 && !parts[2].isEmpty()) {
            clause.append(" and i.unit_code = ?");
            out.add(parts[2]);
        }
        return clause.append(')').toString();
    }

    static String like(String value) {
        return value.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static String table(RestSearchParameterTypeEnum type) {
        return switch (type) {
            case STRING -> "fhir_idx_string";
            case TOKEN -> "fhir_idx_token";
            case REFERENCE -> "fhir_idx_reference";
            case DATE -> "fhir_idx_date";
            case NUMBER, QUANTITY -> "fhir_idx_number";
            default -> "fhir_idx_uri";
        };
    }

    /** A value with an R4 comparison prefix (search.html#prefix), eq when none is given. */
    record Prefixed(String prefix, String value) {
        static final Set<String> PREFIXES = Set.of("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap");

        static Prefixed of(String raw) {
            if (raw.length() > 2 && PREFIXES.contains(raw.substring(0, 2).toLowerCase(Locale.ROOT))
                    && !Character.isLetter(raw.charAt(2))) {
                return new Prefixed(raw.substring(0, 2).toLowerCase(Locale.ROOT), raw.substring(2));
            }
            return new Prefixed("eq", raw);
        }

        /** The comparison of a stored range [low, high] with the searched range [from, to]. */
        <T> String compare(String low, String high, List<Object> out, T from, T to) {
            switch (prefix) {
                case "ne" -> {
                    out.addAll(List.of(from, to));
                    return "not (" + low + " >= ? and " + high + " <= ?)";
                }
                case "gt" -> {
                    out.add(to);
                    return high + " > ?";
                }
                case "lt" -> {
                    out.add(from);
                    return low + " < ?";
                }
                case "ge" -> {
                    out.addAll(List.of(to, from, to));
                    return "(" + high + " > ? or (" + low + " >= ? and " + high + " <= ?))";
                }
                case "le" -> {
                    out.addAll(List.of(from, from, to));
                    return "(" + low + " < ? or (" + low + " >= ? and " + high + " <= ?))";
                }
                case "sa" -> {
                    out.add(to);
                    return low + " > ?";
                }
                case "eb" -> {
                    out.add(from);
                    return high + " < ?";
                }
                case "ap" -> {
                    out.addAll(List.of(to, from));
                    return "(" + low + " <= ? and " + high + " >= ?)";
                }
                default -> {
                    out.addAll(List.of(from, to));
                    return "(" + low + " >= ? and " + high + " <= ?)";
                }
            }
        }
    }

    /** A date search value: its prefix and the range of instants its precision covers. */
    record DateValue(Prefixed prefixed, Instant from, Instant to) {

        static DateValue parse(String param, String raw) {
            Prefixed prefixed = Prefixed.of(raw);
            try {
                Instant[] range = SearchIndexer.range(new DateTimeType(prefixed.value()));
                if (prefixed.prefix().equals("ap")) {
                    // approximately: within 10 % of the gap between now and the date (R4 search.html#prefix)
                    java.time.Duration tenth = java.time.Duration.between(range[0], Instant.now()).abs().dividedBy(10);
                    return new DateValue(prefixed, range[0].minus(tenth), range[1].plus(tenth));
                }
                return new DateValue(prefixed, range[0], range[1]);
            } catch (RuntimeException e) {
                throw new FhirException(400, IssueType.INVALID, "Search parameter " + param + ": '" + raw
                        + "' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime, optionally prefixed with eq, ne, gt, lt, ge, le, sa, eb, ap)");
            }
        }

        String clause(String low, String high, List<Object> out) {
            return prefixed.compare(low, high, out, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC),
                    java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
        }
    }
}
