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
    /** The conditions on the resource aliased r, all of which must hold. */
    private final List<Part> parts = new ArrayList<>();
    /**
     * A _lastUpdated with a lower bound (what changed since): its matches may be few among many,
     * so H2 finds them through ix_fhir_resource_updated instead of walking the type's keys.
     */
    private boolean recentOnly;
    private final List<String> ignored = new ArrayList<>();

    /**
     * One condition on the resource aliased r: as SQL on r (a correlated EXISTS for index
     * parameters), and, when an index answers it, also as the query of the keys it matches. The
     * most selective of those keys leads the search ({@code r.pk in (…)}), so its cost follows
     * the result and not the table; the other conditions are checked on those rows only.
     * Rank orders the candidates: 0 the resource's own id, 1 a token or date of one patient (see
     * ofPatient), 2 a reference to one resource (a patient's data), 3 a token, 4 a string prefix or
     * an equal date, 5 a chain; null keys: none (dates and numbers: one bound of a range may match
     * most of the table, and H2 cannot tell).
     * patient: the patient a reference part names (patient=X, subject=Patient/X); ofPatient: for a
     * token or date part, its keys among one patient's rows, which lead when the search names a patient.
     */
    private record Part(String sql, List<Object> args, String keys, List<Object> keyArgs, int rank, String patient,
                        Function<String, Part> ofPatient) {
        Part(String sql, List<Object> args, String keys, List<Object> keyArgs, int rank) {
            this(sql, args, keys, keyArgs, rank, null, null);
        }

        static Part of(String sql, List<Object> args) {
            return new Part(sql, args, null, List.of(), Integer.MAX_VALUE);
        }
    }

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
                Part part = part("r", type, key, value);
                if (part == null) {
                    ignored.add(key);
                    break;
                }
                parts.add(part);
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
        Part part = part(r, resourceType, key, value);
        if (part == null) {
            return null;
        }
        out.addAll(part.args());
        return part.sql();
    }

    /** One parameter on the resource aliased r, or null when unknown. */
    private Part part(String r, String resourceType, String key, String value) {
        boolean nested = key.startsWith("_has:") || key.indexOf('.') > 0;
        if (nested && ++depth > limits.chainDepth()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded("The chain or _has nesting of " + key,
                    limits.chainDepth(), "BASTION_FHIR_MAX_CHAIN_DEPTH"));
        }
        try {
            return nested ? nestedClause(r, resourceType, key, value) : simpleClause(r, resourceType, key, value);
        } finally {
            if (nested) {
                depth--;
            }
        }
    }

    private Part nestedClause(String r, String resourceType, String key, String value) {
        if (key.startsWith("_has:")) {
            return has(r, resourceType, key, value);
        }
        int dot = key.indexOf('.');
        return chain(r, resourceType, key.substring(0, dot), key.substring(dot + 1), value);
    }

    /** One parameter without chain or _has: name[:modifier]=value[,value…]. */
    private Part simpleClause(String r, String resourceType, String key, String value) {
        String[] values = value.split("(?<!\\\\),");
        if (values.length > limits.orValues()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded(values.length + " values of " + key,
                    limits.orValues(), "BASTION_FHIR_MAX_OR_VALUES"));
        }
        String[] nameAndModifier = key.split(":", 2);
        String name = nameAndModifier[0];
        String modifier = nameAndModifier.length > 1 ? nameAndModifier[1] : null;
        if (name.equals("_id")) {
            List<Object> ids = new ArrayList<>(List.of(value.split(",")));
            String k = alias("k");
            // the ids alone, so that H2 takes ix_fhir_resource_id (it uses an IN list only on an index's first column); the type is r's
            return new Part(r + ".resource_id in (" + marks(ids.size()) + ")", ids, "select " + k + ".pk from fhir_resource " + k
                    + " where " + k + ".resource_id in (" + marks(ids.size()) + ")", ids, 0);
        }
        if (name.equals("_lastUpdated")) {
            recentOnly |= !(value.startsWith("le") || value.startsWith("lt") || value.startsWith("eb"));
            List<Object> out = new ArrayList<>();
            String sql = "(" + DateValue.parse("_lastUpdated", value).point(r + ".last_updated", out) + ")";
            return Part.of(sql, out);
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
        // Checked on one resource, a parameter is a seek of (resource_pk, param, resource_type): the type is left out
        // so that H2 cannot pick the value index instead and range over all of the parameter's values for each row.
        // As the search's lead, resource_type and param lead the value index, so it is a range of the matches only.
        if ("missing".equals(modifier)) {
            return Part.of(("true".equals(value) ? "not exists" : "exists") + " (select 1 from " + table + " " + i + " where "
                    + i + ".resource_pk = " + r + ".pk and " + i + ".param = ?)", List.of(param.getName()));
        }
        List<String> alternatives = new ArrayList<>();
        List<Object> args = new ArrayList<>(List.of(indexParam));
        for (String one : values) {
            alternatives.add(alternative(param, kind, modifier, one.replace("\\,", ","), args).replace("i.", i + "."));
        }
        String condition = i + ".param = ? and (" + String.join(" or ", alternatives) + ")";
        String sql = "exists (select 1 from " + table + " " + i + " where " + i + ".resource_pk = " + r + ".pk and " + condition + ")";
        int rank = rank(name, kind, modifier, values);
        List<Object> keyArgs = new ArrayList<>(List.of(resourceType));
        keyArgs.addAll(args);
        String keys = rank == Integer.MAX_VALUE ? null
                : "select " + i + ".resource_pk from " + table + " " + i + " where " + i + ".resource_type = ? and " + condition;
        String patient = kind == RestSearchParameterTypeEnum.REFERENCE && values.length == 1 ? patientOf(resourceType, param, modifier, values[0]) : null;
        // a token or a date of one patient's resources: the rows that name the patient, see V15__patient_keys.sql
        Function<String, Part> ofPatient = modifier != null || (kind != RestSearchParameterTypeEnum.TOKEN && kind != RestSearchParameterTypeEnum.DATE) ? null
                : one -> {
                    List<Object> patientArgs = new ArrayList<>(List.of(one));
                    patientArgs.addAll(keyArgs);
                    return new Part(sql, args, "select " + i + ".resource_pk from " + table + " " + i + " where " + i + ".patient_id = ? and "
                            + i + ".resource_type = ? and " + condition, patientArgs, 1);
                };
        return new Part(sql, args, keys, keys == null ? List.of() : keyArgs, rank, patient, ofPatient);
    }

    /**
     * The patient id a reference parameter's value names when the parameter is the type's "patient"
     * parameter or the same reference with a Patient target (Observation?subject=Patient/1 is
     * Observation?patient=1): null otherwise.
     */
    private static String patientOf(String resourceType, RuntimeSearchParam param, String modifier, String value) {
        if (value.startsWith("http://") || value.startsWith("https://") || (modifier != null && !modifier.equals("Patient"))) {
            return null;
        }
        String id = value;
        if (value.startsWith("Patient/")) {
            id = value.substring("Patient/".length());
        } else if (value.contains("/") || (modifier == null && !param.getTargets().equals(Set.of("Patient")))) {
            return null;
        }
        if (id.isEmpty() || id.contains("/")) {
            return null;
        }
        RuntimeSearchParam patient = Fhir.r4().getResourceDefinition(resourceType).getSearchParam("patient");
        if (patient == null || patient.getParamType() != RestSearchParameterTypeEnum.REFERENCE) {
            return null;
        }
        boolean same = param.getName().equals("patient") || patient.getPath().equals(param.getPath())
                || patient.getPath().equals(param.getPath() + ".where(resolve() is Patient)");
        return same ? id : null;
    }

    /** How well an index finds a parameter's matches by itself (see {@link Part}); MAX_VALUE when it cannot. */
    private static int rank(String name, RestSearchParameterTypeEnum kind, String modifier, String[] values) {
        boolean plain = modifier == null || Fhir.isResourceType(modifier);
        return switch (kind) {
            // a reference by URL has no index of its own
            case REFERENCE -> plain && java.util.Arrays.stream(values).noneMatch(v -> v.startsWith("http://") || v.startsWith("https://"))
                    ? 2 : Integer.MAX_VALUE;
            case TOKEN -> FEW_CODES.contains(name) ? Integer.MAX_VALUE
                    : plain || "of-type".equals(modifier) || "identifier".equals(modifier) ? 3 : Integer.MAX_VALUE;
            case STRING -> modifier == null || "exact".equals(modifier) ? 4 : Integer.MAX_VALUE;
            case URI -> modifier == null || "below".equals(modifier) ? 4 : Integer.MAX_VALUE;
            // an equal (or approximate) date or number is a bounded range of the value index
            case DATE, NUMBER, QUANTITY -> modifier == null && java.util.Arrays.stream(values)
                    .allMatch(v -> Set.of("eq", "ap").contains(Prefixed.of(v.split("\\|", 2)[0]).prefix())) ? 4 : Integer.MAX_VALUE;
            // one bound of a range (date=ge…) may hold most of the table: better found while walking the newest first
            default -> Integer.MAX_VALUE;
        };
    }

    /**
     * Tokens bound to a handful of codes (gender, status, category …): one code matches a large
     * share of the type, so such a parameter never leads a search; it is checked on the lead's rows,
     * or, alone, while walking the newest first, which finds a page of such matches at once.
     */
    static final Set<String> FEW_CODES = Set.of("gender", "status", "category", "active", "deceased", "intent", "priority",
            "clinical-status", "verification-status", "_security");

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** Chained parameters (R4 search.html#chaining): subject:Patient.name=x matches through the referenced resource. */
    private Part chain(String r, String resourceType, String reference, String rest, String value) {
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
        Part nested = part(t, target, rest, value);
        if (nested == null) {
            return null;
        }
        // the referenced resource must itself be within the token's reach, or the chain answers questions about others
        List<Object> reachArgs = new ArrayList<>();
        String within = restriction(t, target, reach.apply(target), reachArgs);
        List<Object> args = new ArrayList<>(List.of(resourceType, param.getName(), target));
        args.addAll(nested.args());
        args.addAll(reachArgs);
        String sql = "exists (select 1 from fhir_idx_reference " + c + " join fhir_resource " + t + " on " + t + ".resource_type = "
                + c + ".target_type and " + t + ".resource_id = " + c + ".target_id and " + t + ".deleted = false where "
                + c + ".resource_pk = " + r + ".pk and " + c + ".resource_type = ? and " + c + ".param = ? and " + c + ".target_type = ? and "
                + nested.sql() + (within == null ? "" : " and " + within) + ")";
        if (nested.keys() == null) {
            return Part.of(sql, args);
        }
        // led by what the chain's end finds: the referenced resources, then the references to them (a join, so that
        // H2 seeks the target index with each one; it uses an IN query on an index only when nothing else bounds it)
        String c2 = alias("c");
        String t2 = alias("t");
        List<Object> keyArgs = new ArrayList<>(List.of(target, resourceType, param.getName()));
        keyArgs.addAll(nested.keyArgs());
        keyArgs.add(target);
        List<Object> reachKeyArgs = new ArrayList<>();
        String withinKeys = restriction(t2, target, reach.apply(target), reachKeyArgs);
        keyArgs.addAll(reachKeyArgs);
        return new Part(sql, args, "select " + c2 + ".resource_pk from fhir_resource " + t2 + " join fhir_idx_reference " + c2 + " on "
                + c2 + ".target_id = " + t2 + ".resource_id and " + c2 + ".target_type = ? and " + c2 + ".resource_type = ? and " + c2
                + ".param = ? where " + t2 + ".pk in (" + nested.keys() + ") and " + t2 + ".resource_type = ? and " + t2 + ".deleted = false"
                + (withinKeys == null ? "" : " and " + withinKeys), keyArgs, 5);
    }

    /** Reverse chaining (R4 search.html#has): _has:Observation:patient:code=x matches what such Observations point at. */
    private Part has(String r, String resourceType, String key, String value) {
        String[] parts = key.split(":", 4);
        if (parts.length < 4 || !Fhir.isResourceType(parts[1])) {
            throw new FhirException(400, IssueType.INVALID, "_has takes the form _has:Type:reference:parameter=value, not " + key);
        }
        String h = alias("h");
        String o = alias("o");
        Part nested = part(o, parts[1], parts[3], value);
        if (nested == null) {
            return null;
        }
        // only resources the token may search of that type count, or _has answers questions about others
        List<Object> reachArgs = new ArrayList<>();
        String within = restriction(o, parts[1], reach.apply(parts[1]), reachArgs);
        List<Object> args = new ArrayList<>(List.of(parts[1], parts[2], resourceType));
        args.addAll(nested.args());
        args.addAll(reachArgs);
        String sql = "exists (select 1 from fhir_idx_reference " + h + " join fhir_resource " + o + " on " + o + ".pk = " + h
                + ".resource_pk and " + o + ".deleted = false where " + h + ".resource_type = ? and " + h + ".param = ? and "
                + h + ".target_type = ? and " + h + ".target_id = " + r + ".resource_id and " + nested.sql()
                + (within == null ? "" : " and " + within) + ")";
        if (nested.keys() == null) {
            return Part.of(sql, args);
        }
        // led by what the inner parameter finds: those resources, their references, the resources they point at
        String h2 = alias("h");
        String o2 = alias("o");
        String p = alias("p");
        List<Object> keyArgs = new ArrayList<>(List.of(parts[1], parts[2], resourceType));
        keyArgs.addAll(nested.keyArgs());
        List<Object> reachKeyArgs = new ArrayList<>();
        String withinKeys = restriction(o2, parts[1], reach.apply(parts[1]), reachKeyArgs);
        keyArgs.addAll(reachKeyArgs);
        return new Part(sql, args, "select " + p + ".pk from fhir_resource " + o2 + " join fhir_idx_reference " + h2 + " on " + h2
                + ".resource_pk = " + o2 + ".pk and " + h2 + ".resource_type = ? and " + h2 + ".param = ? and " + h2 + ".target_type = ? join fhir_resource "
                + p + " on " + p + ".resource_type = " + h2 + ".target_type and " + p + ".resource_id = " + h2 + ".target_id where " + o2
                + ".pk in (" + nested.keys() + ") and " + o2 + ".deleted = false" + (withinKeys == null ? "" : " and " + withinKeys), keyArgs, 5);
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
        parts.add(compartment("r", type, compartmentType, compartmentId));
        return this;
    }

    /**
     * Narrows the search to the Patient compartments of some patients, or of any patient (ids
     * null): the bulk export's patient and group levels. A Patient is its own compartment's owner.
     */
    public SearchQuery inPatientCompartments(java.util.Collection<String> ids) {
        if (type.equals("Patient")) {
            if (ids != null) {
                parts.add(Part.of("r.resource_id in (" + marks(ids.size()) + ")", new ArrayList<>(ids)));
            }
            return this;
        }
        List<String> params = compartmentParams(type, "Patient");
        if (params.isEmpty()) {
            throw new FhirException(400, IssueType.NOTSUPPORTED, type + " is not in the Patient compartment");
        }
        String x = alias("x");
        List<Object> args = new ArrayList<>();
        StringBuilder condition = new StringBuilder();
        if (ids != null) {
            condition.append(x).append(".target_id in (").append(marks(ids.size())).append(") and ");
            args.addAll(ids);
        }
        condition.append(x).append(".target_type = 'Patient' and ").append(x).append(".resource_type = ? and ")
                .append(x).append(".param in (").append(marks(params.size())).append(')');
        args.add(type);
        args.addAll(params);
        String exists = "exists (select 1 from fhir_idx_reference " + x + " where " + x + ".resource_pk = r.pk and " + condition + ")";
        // with ids the reference's target leads the index (target_id, target_type, resource_type, param, resource_pk)
        parts.add(ids == null ? Part.of(exists, args) : new Part(exists, args, "select " + x + ".resource_pk from fhir_idx_reference " + x
                + " where " + condition, args, 2));
        return this;
    }

    /** The resources whose compartment-defining references point at the compartment's owner, or null when the type has none. */
    private Part compartment(String r, String resourceType, String compartmentType, String compartmentId) {
        List<String> params = compartmentParams(resourceType, compartmentType);
        if (params.isEmpty()) {
            return null;
        }
        String x = alias("x");
        List<Object> args = new ArrayList<>(List.of(compartmentId, compartmentType, resourceType));
        args.addAll(params);
        // the reference's target leads the index (target_id, target_type, resource_type, param, resource_pk)
        String condition = x + ".target_id = ? and " + x + ".target_type = ? and " + x + ".resource_type = ? and " + x + ".param in ("
                + marks(params.size()) + ")";
        return new Part("exists (select 1 from fhir_idx_reference " + x + " where " + x + ".resource_pk = " + r + ".pk and " + condition + ")",
                args, "select " + x + ".resource_pk from fhir_idx_reference " + x + " where " + condition, args, 2);
    }

    /** The resources with any reference to the patient, for types the Patient compartment does not define. */
    private Part referencesPatient(String r, String resourceType, String patient) {
        String x = alias("x");
        List<Object> args = List.of(patient, resourceType);
        String condition = x + ".target_id = ? and " + x + ".target_type = 'Patient' and " + x + ".resource_type = ?";
        return new Part("exists (select 1 from fhir_idx_reference " + x + " where " + x + ".resource_pk = " + r + ".pk and " + condition + ")",
                args, "select " + x + ".resource_pk from fhir_idx_reference " + x + " where " + condition, args, 2);
    }

    /**
     * Narrows the search to what a token may see (SMART scopes): resources matching any of the
     * alternatives, each a patient's compartment and/or a scope's query. One alternative is a
     * conjunction like the search's own parameters, and its patient may lead the search.
     */
    public SearchQuery restrict(AccessPolicy.Restriction restriction) {
        if (restriction.unrestricted()) {
            return this;
        }
        if (restriction.alternatives().size() == 1) {
            parts.addAll(within("r", type, restriction.alternatives().get(0)));
            return this;
        }
        List<Object> args = new ArrayList<>();
        parts.add(Part.of(restriction("r", type, restriction, args), args));
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
            List<String> conditions = new ArrayList<>(List.of("1 = 1"));
            for (Part part : within(r, resourceType, alternative)) {
                conditions.add(part.sql());
                out.addAll(part.args());
            }
            alternatives.add("(" + String.join(" and ", conditions) + ")");
        }
        return "(" + (alternatives.isEmpty() ? "1 = 0" : String.join(" or ", alternatives)) + ")";
    }

    /** The conditions of one alternative of a restriction, all of which must hold. */
    private List<Part> within(String r, String resourceType, AccessPolicy.Alternative alternative) {
        List<Part> conditions = new ArrayList<>();
        if (alternative.patient() != null) {
            Part inCompartment = compartment(r, resourceType, "Patient", alternative.patient());
            if (resourceType.equals("Patient")) {
                List<Object> args = new ArrayList<>(List.of(alternative.patient()));
                if (inCompartment != null) {
                    args.addAll(inCompartment.args());
                }
                conditions.add(Part.of("(" + r + ".resource_id = ?" + (inCompartment == null ? "" : " or " + inCompartment.sql()) + ")", args));
            } else {
                conditions.add(inCompartment != null ? inCompartment : referencesPatient(r, resourceType, alternative.patient()));
            }
        }
        if (alternative.query() != null) {
            for (Map.Entry<String, List<String>> entry : Fhir.parseQuery(alternative.query()).entrySet()) {
                for (String value : entry.getValue()) {
                    Part clause = entry.getKey().startsWith("_has:") || entry.getKey().contains(".") ? null
                            : part(r, resourceType, entry.getKey(), value);
                    // a scope query this server cannot evaluate grants nothing rather than everything
                    conditions.add(clause == null ? Part.of("1 = 0", List.of()) : clause);
                }
            }
        }
        return conditions;
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

    /** How the search is run: the lead (its keys), and the conditions checked on the lead's rows. */
    private record Plan(Part lead, List<Part> rest) {

        /**
         * Whether the lead's keys and the other conditions are answered by the index tables alone,
         * without the resource table: a lead from index rows of the searched type only (ranks 1 to
         * 4: a resource's index rows exist while it is current and not deleted), and conditions
         * that look at nothing of the resource but its key. A page is then found among the keys,
         * and only its resources are read (see {@link #keysetSql}).
         */
        boolean byKeys() {
            return lead != null && lead.rank() >= 1 && lead.rank() <= 4 && rest.stream().allMatch(part -> onKeyOnly(part.sql()));
        }

        private static boolean onKeyOnly(String sql) {
            return !RESOURCE_COLUMN.matcher(sql.replace("r.pk", "")).find();
        }
    }

    /** A column of the searched resource (aliased r) other than its key. */
    private static final java.util.regex.Pattern RESOURCE_COLUMN = java.util.regex.Pattern.compile("\\br\\.");

    /** The best index lookup to lead the search, as the keys it matches (see {@link Part}), and the other conditions. */
    private Plan plan() {
        Part lead = parts.stream().filter(p -> p.keys() != null).min(java.util.Comparator.comparingInt(Part::rank)).orElse(null);
        Part covered = lead;
        Part coveredPatient = null;
        String patient = parts.stream().map(Part::patient).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (patient != null && (lead == null || lead.rank() > 1)) {
            // a patient's token or date: its keys are the search's lead, and neither what they say nor the patient need be checked again
            Part paired = parts.stream().filter(p -> p.ofPatient() != null).min(java.util.Comparator.comparingInt(Part::rank)).orElse(null);
            if (paired != null) {
                covered = paired;
                lead = paired.ofPatient().apply(patient);
                coveredPatient = parts.stream().filter(p -> patient.equals(p.patient())).findFirst().orElse(null);
            }
        }
        Part coveredLead = covered;
        Part coveredByPatient = coveredPatient;
        return new Plan(lead, parts.stream().filter(part -> part != coveredLead && part != coveredByPatient).toList());
    }

    /**
     * The search's conditions after "where r.resource_type = ? and r.deleted = false": the lead's
     * keys first, then the others; with their arguments.
     */
    private String where(List<Object> out) {
        Plan plan = plan();
        StringBuilder sql = new StringBuilder();
        if (plan.lead() != null) {
            sql.append(" and r.pk in (").append(plan.lead().keys()).append(')');
            out.addAll(plan.lead().keyArgs());
        }
        for (Part part : plan.rest()) {
            sql.append(" and ").append(part.sql());
            out.addAll(part.args());
        }
        return sql.toString();
    }

    private String where() {
        return where(new ArrayList<>());
    }

    /** The ids of the matches (for checking which of a few resources a token may see). */
    public String idSql() {
        return "select r.resource_id from fhir_resource r where r.resource_type = ? and r.deleted = false" + where();
    }

    public String countSql() {
        return "select count(*) from fhir_resource r where r.resource_type = ? and r.deleted = false" + where();
    }

    /** Newest first, then by key, so pages are stable while nothing changes. */
    public String pageSql() {
        return "select r.pk, r.body, r.resource_id from fhir_resource r where r.resource_type = ? and r.deleted = false" + where()
                + " order by " + order + "r.last_updated desc, r.pk desc offset ? rows fetch next ? rows only";
    }

    /** Without _sort, pages follow the key (newest first) from a cursor, so writes never shift them. */
    public boolean keyset() {
        return order.length() == 0;
    }

    /**
     * A keyset page: after (or, backwards, before) the cursor key; one row more than asked tells
     * whether there is more. When the index tables answer the search ({@link Plan#byKeys}), the
     * page's keys are found among the lead's keys first and only those resources are read: a
     * patient's thousands of dated rows cost index entries, not thousands of resource rows.
     */
    public String keysetSql(boolean backwards, boolean fromCursor) {
        String direction = backwards ? "asc" : "desc";
        String cursor = fromCursor ? (backwards ? " and r.pk > ?" : " and r.pk < ?") : "";
        Plan plan = plan();
        if (plan.byKeys()) {
            // the lead's keys are "select <alias>.resource_pk from <index table> <alias> where …": the other conditions
            // are checked on that alias (a derived table would hide a LIKE prefix's range from H2)
            String keys = plan.lead().keys();
            String key = keys.substring("select ".length(), keys.indexOf(" from "));
            StringBuilder page = new StringBuilder("select distinct ").append(keys.substring("select ".length()));
            plan.rest().forEach(part -> page.append(" and ").append(part.sql().replace("r.pk", key)));
            page.append(cursor.replace("r.pk", key)).append(" order by ").append(key).append(' ').append(direction).append(" fetch first ? rows only");
            return "select r.pk, r.body, r.resource_id from fhir_resource r where r.pk in (" + page + ") order by r.pk " + direction;
        }
        // newest first, as ix_fhir_resource_type_pk holds them (the type is one, so this is the key's order): a page reads
        // its rows and stops, where a sort would read every row of the type first (H2 sorts unless the index's columns match)
        // (a lead's keys or a recent _lastUpdated find fewer rows than a walk would pass)
        String order = backwards || recentOnly || plan.lead() != null ? "r.pk " + direction : "r.resource_type desc, r.pk desc";
        return "select r.pk, r.body, r.resource_id from fhir_resource r where r.resource_type = ? and r.deleted = false" + where() + cursor
                + " order by " + order + " fetch first ? rows only";
    }

    /** The arguments of {@link #keysetSql}, before the cursor key and the row count. */
    public List<Object> keysetArgs() {
        Plan plan = plan();
        if (!plan.byKeys()) {
            return args();
        }
        List<Object> all = new ArrayList<>(plan.lead().keyArgs());
        plan.rest().forEach(part -> all.addAll(part.args()));
        return all;
    }

    public List<Object> args() {
        List<Object> all = new ArrayList<>();
        all.add(type);
        where(all);
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
                // an open period end is stored as the beginning or the end of time (SearchIndexer)
                return DateValue.parse(param.getName(), value).clause("i.value_low", "i.value_high", out);
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
                    // low <= to follows from the rest; it bounds the range of the (…, value_low, …) index
                    out.addAll(List.of(from, to, to));
                    return "(" + low + " >= ? and " + low + " <= ? and " + high + " <= ?)";
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

        /**
         * The comparison for an instant (a range whose ends are one value, like _lastUpdated), in
         * the simplest form, so that databases estimate and bound the index range well: ge is
         * "at or after the start of the searched range", le "at or before its end".
         */
        String point(String column, List<Object> out) {
            java.time.OffsetDateTime start = java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC);
            java.time.OffsetDateTime end = java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC);
            switch (prefixed.prefix()) {
                case "gt", "sa" -> {
                    out.add(end);
                    return column + " > ?";
                }
                case "lt", "eb" -> {
                    out.add(start);
                    return column + " < ?";
                }
                case "ge" -> {
                    out.add(start);
                    return column + " >= ?";
                }
                case "le" -> {
                    out.add(end);
                    return column + " <= ?";
                }
                case "ne" -> {
                    out.addAll(List.of(start, end));
                    return "not (" + column + " >= ? and " + column + " <= ?)";
                }
                default -> {
                    out.addAll(List.of(start, end));
                    return column + " >= ? and " + column + " <= ?";
                }
            }
        }
    }
}
