package org.bastion.fhir.application;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.bastion.fhir.domain.ResourceVersion;
import org.bastion.fhir.domain.StoredResource;
import org.bastion.fhir.search.IndexRow;
import org.bastion.fhir.search.IndexWriter;
import org.bastion.fhir.search.SearchIndexer;
import org.bastion.fhir.search.SearchQuery;
import org.bastion.fhir.search.VersionReach;
import org.bastion.platform.BastionDataSource;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.AccessPolicy.Restriction;
import org.bastion.smart.domain.SmartScope.Permission;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The FHIR repository: every write stores the new current version, appends it to history and
 * replaces the resource's search index rows, all in one transaction.
 */
@Stateless
public class FhirRepository {

    /** The audit trail's resource type, kept out of the FHIR API (see AuditLog). */
    public static final String AUDIT_EVENT = "AuditEvent";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static volatile DataSource dataSource;

    @jakarta.inject.Inject
    org.bastion.fhir.validation.FhirValidation validation;

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @jakarta.inject.Inject
    RequestAccess access;

    @jakarta.ejb.EJB
    ConditionLocks conditionLocks;

    @jakarta.ejb.EJB
    org.bastion.fhir.subscription.Subscriptions subscriptions;

    @jakarta.inject.Inject
    org.bastion.platform.BastionSettings settings;

    private final Clock clock = Clock.systemUTC();

    /** A resource as stored: with its id, versionId and lastUpdated; created tells a create from an update. */
    public record Stored(Resource resource, boolean created) {
    }

    /**
     * One page of a search: the matches, the total when counted, the parameters left out, and for
     * keyset pages the first and last keys with whether there is more after and before.
     */
    public record Page(List<Found> found, long total, List<String> ignored, boolean keyset, Long firstKey, Long lastKey,
                       boolean more, boolean earlier) {

        /** The matches parsed (each time it is called: a JSON answer needs only {@link #found}). */
        public List<Resource> resources() {
            return found.stream().map(Found::resource).toList();
        }
    }

    /** A match as stored: its key, its id and its JSON (with id and meta), which is what HAPI's parser writes for it. */
    public record Found(long pk, String id, String json) {

        public Resource resource() {
            return keyed(Fhir.parse(json), pk);
        }
    }

    /** Where a page starts: an offset (with _sort), or after / before a key (keyset paging). */
    public record Paging(int offset, Long after, Long before, int count) {
        public static Paging first(int count) {
            return new Paging(0, null, null, count);
        }
    }

    public Stored create(String type, Resource resource, String ifNoneExist) {
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            java.util.Map<String, List<String>> condition = Fhir.parseQuery(ifNoneExist);
            if (mayCreate(type)) {
                // only a caller who may create serialises (and so adds a lock row); the others find, or are refused below
                String key = ConditionLocks.key(type, condition);
                if (!conditionLocks.lock(key)) {
                    conditionLocks.ensure(key); // the first use of the condition makes its row, in a transaction of its own
                    conditionLocks.lock(key);
                }
            }
            List<Resource> existing = search(type, condition, 0, 2, false).resources();
            if (existing.size() > 1) {
                throw new FhirException(412, IssueType.DUPLICATE, "If-None-Exist '" + ifNoneExist + "' matches more than one "
                        + type + "; make the condition more selective");
            }
            if (existing.size() == 1) {
                return new Stored(existing.get(0), false);
            }
        }
        Restriction allowed = allowed(Permission.CREATE, type);
        return new Stored(writeWithin(allowed, new StoredResource(type, UUID.randomUUID().toString()), resource, "POST"), true);
    }

    /** A create whose id was chosen beforehand (a transaction resolving urn:uuid references). */
    public Stored createWithId(String type, String id, Resource resource) {
        Restriction allowed = allowed(Permission.CREATE, type);
        return new Stored(writeWithin(allowed, new StoredResource(type, id), resource, "POST"), true);
    }

    /** Conditional update (R4 http.html#cond-update): the one match is updated, none is created, several are a 412. */
    public Stored conditionalUpdate(String type, String conditions, Resource resource) {
        List<Resource> matches = search(type, Fhir.parseQuery(conditions), 0, 2, false).resources();
        if (matches.size() > 1) {
            throw new FhirException(412, IssueType.DUPLICATE, "Conditional update '" + conditions + "' matches more than one " + type);
        }
        if (matches.isEmpty()) {
            if (resource.getIdElement().hasIdPart()) {
                return update(type, resource.getIdElement().getIdPart(), resource, null);
            }
            return create(type, resource, null);
        }
        String id = matches.get(0).getIdElement().getIdPart();
        if (resource.getIdElement().hasIdPart() && !id.equals(resource.getIdElement().getIdPart())) {
            throw new FhirException(400, IssueType.INVALID, "The body's id '" + resource.getIdElement().getIdPart()
                    + "' is not the id of the resource the conditions match ('" + id + "')");
        }
        resource.setId(id);
        return update(type, id, resource, null);
    }

    /** Conditional delete of the one match (several are a 412, none is no error). */
    public void conditionalDelete(String type, String conditions) {
        List<Resource> matches = search(type, Fhir.parseQuery(conditions), 0, 2, false).resources();
        if (matches.size() > 1) {
            throw new FhirException(412, IssueType.DUPLICATE, "Conditional delete '" + conditions + "' matches more than one " + type);
        }
        matches.forEach(m -> delete(type, m.getIdElement().getIdPart()));
    }

    public Stored update(String type, String id, Resource resource, String ifMatch) {
        checkId(id);
        if (resource.getIdElement().hasIdPart() && !id.equals(resource.getIdElement().getIdPart())) {
            throw new FhirException(400, IssueType.INVALID, "The resource's id '" + resource.getIdElement().getIdPart()
                    + "' does not match the id in the URL '" + id + "'");
        }
        if (!resource.getIdElement().hasIdPart()) {
            throw new FhirException(400, IssueType.REQUIRED, "An update needs the resource's id in the body, equal to the URL's ('" + id + "')");
        }
        Optional<StoredResource> found = locked(type, id);
        if (found.isEmpty()) {
            if (ifMatch != null) {
                throw new FhirException(412, IssueType.CONFLICT, type + "/" + id + " does not exist, so If-Match cannot match");
            }
            Restriction allowed = allowed(Permission.CREATE, type);
            return new Stored(writeWithin(allowed, new StoredResource(type, id), resource, "PUT"), true);
        }
        StoredResource stored = found.get();
        Restriction allowed = allowed(stored.deleted() ? Permission.CREATE : Permission.UPDATE, type);
        if (!stored.deleted() && !visible(type, id, allowed)) {
            throw new FhirException(403, IssueType.FORBIDDEN, type + "/" + id + " is outside what the access token may update ("
                    + describe(allowed) + ")");
        }
        checkVersion(stored, ifMatch);
        return new Stored(writeWithin(allowed, stored, resource, "PUT"), stored.deleted());
    }

    /**
     * $validate (R4 resource-operation-validate): a resource against the base definitions, its
     * declared profiles and these. At type level the token must be able to create the type (update it
     * for mode update); at instance level, mode delete asks whether the resource may be deleted (the
     * token must be able to), a resource in the body is an update of it, and without one the stored
     * resource is validated as the token may read it.
     */
    public org.hl7.fhir.r4.model.OperationOutcome validate(String type, String id, Resource resource, String mode, List<String> profiles) {
        if (mode != null && !List.of("create", "update", "delete").contains(mode)) {
            throw new FhirException(400, IssueType.INVALID, "mode '" + mode + "' is not a validation mode: create, update or delete");
        }
        if (resource != null && !resource.fhirType().equals(type)) {
            throw new FhirException(400, IssueType.INVALID, "The body is a " + resource.fhirType() + ", not a " + type);
        }
        if (id == null) {
            if ("delete".equals(mode)) {
                throw new FhirException(400, IssueType.INVALID, "mode delete validates the deletion of a resource: POST [base]/" + type + "/[id]/$validate");
            }
            if (resource == null) {
                throw new FhirException(400, IssueType.REQUIRED, "$validate needs the resource: the body, or a Parameters with a resource parameter");
            }
            allowed("update".equals(mode) ? Permission.UPDATE : Permission.CREATE, type);
            return validation.validate(resource, profiles);
        }
        checkId(id);
        if ("delete".equals(mode)) {
            Restriction allowed = allowed(Permission.DELETE, type);
            Optional<StoredResource> found = find(type, id);
            if (found.isEmpty() || found.get().deleted() || !visible(type, id, allowed)) {
                throw notFound(type, id);
            }
            org.hl7.fhir.r4.model.OperationOutcome outcome = new org.hl7.fhir.r4.model.OperationOutcome();
            outcome.addIssue().setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("Nothing on this server prevents deleting " + type + "/" + id + ": Bastion keeps no referential integrity rules");
            return outcome;
        }
        if (resource == null) {
            return validation.validate(read(type, id), profiles);
        }
        if (resource.hasIdElement() && resource.getIdElement().getIdPart() != null && !id.equals(resource.getIdElement().getIdPart())) {
            throw new FhirException(400, IssueType.INVALID, "The body's id '" + resource.getIdElement().getIdPart() + "' is not " + id);
        }
        Restriction allowed = allowed(Permission.UPDATE, type);
        if (!allowed.unrestricted() && find(type, id).isPresent() && !visible(type, id, allowed)) {
            throw notFound(type, id);
        }
        return validation.validate(resource, profiles);
    }

    public Resource read(String type, String id) {
        return Fhir.parse(readJson(type, id).json());
    }

    /** A resource's current version as stored: its JSON (with id and meta), version and time. */
    public record Json(String json, String versionId, java.time.Instant lastUpdated) {
    }

    /** A read, as {@link #read} checks it, without parsing what is stored: for answering it as JSON. */
    public Json readJson(String type, String id) {
        Restriction allowed = allowed(Permission.READ, type);
        StoredResource stored = find(type, id).orElseThrow(() -> notFound(type, id));
        if (!allowed.unrestricted() && !visible(type, id, allowed)) {
            // outside the token's reach looks exactly like nothing there
            throw notFound(type, id);
        }
        if (stored.deleted()) {
            throw new FhirException(410, IssueType.DELETED, type + "/" + id + " was deleted (version " + stored.versionId() + ")");
        }
        return new Json(stored.body(), Long.toString(stored.versionId()), stored.lastUpdated());
    }

    public Resource vread(String type, String id, String versionId) {
        Restriction allowed = allowed(Permission.READ, type);
        FhirException none = new FhirException(404, IssueType.NOTFOUND, type + "/" + id + " has no version " + versionId);
        ResourceVersion version = em.createQuery("select v from ResourceVersion v where v.resourceType = :type and v.resourceId = :id "
                        + "and v.versionId = :version", ResourceVersion.class)
                .setParameter("type", type).setParameter("id", id).setParameter("version", parseVersion(versionId))
                .getResultStream().findFirst().orElseThrow(() -> none);
        if (version.deleted()) {
            // a deletion carries no content to judge: it is shown to whoever may read the resource as it is now
            if (!visible(type, id, allowed)) {
                throw none;
            }
            throw new FhirException(410, IssueType.DELETED, "Version " + versionId + " of " + type + "/" + id + " is its deletion");
        }
        Resource resource = Fhir.parse(version.body());
        // each version is judged on its own content: what was another patient's stays theirs
        if (!VersionReach.within(resource, allowed)) {
            throw none;
        }
        return resource;
    }

    /** Deletes (a new, deleted version); deleting what does not exist or is deleted already is no error. */
    public void delete(String type, String id) {
        Restriction allowed = allowed(Permission.DELETE, type);
        Optional<StoredResource> found = locked(type, id);
        if (!allowed.unrestricted() && (found.isEmpty() || !visible(type, id, allowed))) {
            // a token confined to a compartment learns nothing about what lies outside it
            throw notFound(type, id);
        }
        if (found.isEmpty() || found.get().deleted()) {
            return;
        }
        StoredResource stored = found.get();
        stored.write(stored.versionId() + 1, stored.body(), clock.instant(), true);
        em.persist(new ResourceVersion(stored, "DELETE"));
        withConnection(connection -> IndexWriter.delete(connection, stored.pk()));
    }

    /**
     * Versions newest first: of one resource (type and id), of a type (id null), or of everything
     * (both null); each shown only when the token may read that version as it was written.
     */
    public List<ResourceVersion> history(String type, String id, Instant since, int count) {
        if (type != null) {
            allowed(Permission.READ, type);
        }
        StringBuilder jpql = new StringBuilder("select v from ResourceVersion v where 1 = 1");
        if (type != null) {
            jpql.append(" and v.resourceType = :type");
        }
        if (id != null) {
            jpql.append(" and v.resourceId = :id");
        }
        if (since != null) {
            jpql.append(" and v.lastUpdated >= :since");
        }
        var query = em.createQuery(jpql.append(" order by v.lastUpdated desc, v.versionId desc").toString(), ResourceVersion.class);
        if (type != null) {
            query.setParameter("type", type);
        }
        if (id != null) {
            query.setParameter("id", id);
        }
        if (since != null) {
            query.setParameter("since", since);
        }
        List<ResourceVersion> versions = query.setMaxResults(count).getResultList();
        AccessPolicy policy = access.policy();
        if (policy.server()) {
            return versions;
        }
        Map<String, Restriction> restrictions = new java.util.HashMap<>();
        Map<String, Boolean> currentlyVisible = new java.util.HashMap<>();
        List<ResourceVersion> shown = new ArrayList<>();
        for (ResourceVersion version : versions) {
            Restriction restriction = restrictions.computeIfAbsent(version.resourceType(), t -> policy.restriction(Permission.READ, t));
            // a version's body is parsed only when the restriction depends on its content
            boolean within = restriction.unrestricted() || !restriction.denied() && (version.deleted()
                    ? currentlyVisible.computeIfAbsent(version.resourceType() + "/" + version.resourceId(),
                            k -> visible(version.resourceType(), version.resourceId(), restriction))
                    : VersionReach.within(Fhir.parse(version.body()), restriction));
            if (within) {
                shown.add(version);
            }
        }
        if (id != null && shown.isEmpty()) {
            // nothing of it within reach looks exactly like nothing there
            throw notFound(type, id);
        }
        return shown;
    }

    public Page search(String type, Map<String, List<String>> params, int offset, int count, boolean total) {
        return search(type, params, new Paging(offset, null, null, count), total);
    }

    public Page search(String type, Map<String, List<String>> params, Paging paging, boolean total) {
        return run(new SearchQuery(type, params, this::searchable, settings.fhirLimits()).restrict(allowed(Permission.SEARCH, type)), paging, total);
    }

    /** A deleted resource, for a bulk export's deleted file. */
    public record Deleted(long pk, String type, String id) {
    }

    private static final java.time.format.DateTimeFormatter MILLIS = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(java.time.ZoneOffset.UTC);

    /**
     * One page of a bulk export, down the keys from a cursor (exclusive; null from the top): the
     * type's resources the policy lets be read (scope queries included), last changed after since
     * (when given) and at or before until, matching any of the filters (when some are given), and
     * in the Patient compartments of the patients when patients is not null (empty: of any patient).
     */
    public List<Found> exportPage(String type, Instant since, Instant until, List<String> filters, List<String> patients, Long cursor, int count) {
        Restriction allowed = allowed(Permission.READ, type);
        List<String> lastUpdated = new ArrayList<>(List.of("le" + MILLIS.format(until)));
        if (since != null) {
            lastUpdated.add("gt" + MILLIS.format(since));
        }
        SearchQuery query = new SearchQuery(type, Map.of("_lastUpdated", lastUpdated), this::searchable, settings.fhirLimits()).restrict(allowed);
        if (!filters.isEmpty()) {
            query.restrict(new Restriction(filters.stream().map(filter -> new AccessPolicy.Alternative(null, filter)).toList()));
        }
        if (patients != null) {
            query.inPatientCompartments(patients.isEmpty() ? null : patients);
        }
        return run(query, new Paging(0, cursor, null, count), false).found();
    }

    /**
     * One page of the resources of some types deleted after since and at or before until, down the
     * keys from a cursor: of the types whose every resource the policy lets be read (what a deleted
     * resource held, and so whether a scope's query matched it, is gone).
     */
    public List<Deleted> deletedPage(List<String> types, Instant since, Instant until, Long cursor, int count) {
        List<String> readable = types.stream().filter(t -> !t.equals(AUDIT_EVENT) && access.policy().restriction(Permission.READ, t).unrestricted()).toList();
        List<Deleted> page = new ArrayList<>();
        if (readable.isEmpty()) {
            return page;
        }
        String sql = "select r.pk, r.resource_type, r.resource_id from fhir_resource r where r.deleted = true and r.resource_type in ("
                + String.join(", ", readable.stream().map(t -> "?").toList()) + ") and r.last_updated > ? and r.last_updated <= ?"
                + (cursor == null ? "" : " and r.pk < ?") + " order by r.pk desc fetch first ? rows only";
        withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int i = bind(statement, new ArrayList<>(readable));
                statement.setObject(i++, java.time.OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
                statement.setObject(i++, java.time.OffsetDateTime.ofInstant(until, java.time.ZoneOffset.UTC));
                if (cursor != null) {
                    statement.setLong(i++, cursor);
                }
                statement.setInt(i, count);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        page.add(new Deleted(rows.getLong(1), rows.getString(2), rows.getString(3)));
                    }
                }
            }
        });
        return page;
    }

    /** Compartment search: [base]/Patient/123/Observation?... (R4 http.html#vsearch). */
    public Page searchCompartment(String compartmentType, String compartmentId, String type, Map<String, List<String>> params,
                                  Paging paging, boolean total) {
        Restriction allowed = allowed(Permission.SEARCH, type);
        if (find(compartmentType, compartmentId).filter(r -> !r.deleted()).isEmpty() || !compartmentWithinReach(compartmentType, compartmentId, allowed)) {
            // a compartment outside the token's reach answers exactly as one that does not exist
            throw notFound(compartmentType, compartmentId);
        }
        return run(new SearchQuery(type, params, this::searchable, settings.fhirLimits()).inCompartment(compartmentType, compartmentId).restrict(allowed), paging, total);
    }

    /** Whether the owner of a compartment is one the token reaches: a patient of its restriction, or a resource it may read. */
    private boolean compartmentWithinReach(String compartmentType, String compartmentId, Restriction allowed) {
        if (allowed.unrestricted()) {
            return true;
        }
        if (compartmentType.equals("Patient")) {
            return allowed.reachesPatient(compartmentId);
        }
        Restriction owner = access.policy().restriction(Permission.READ, compartmentType);
        return !owner.denied() && visible(compartmentType, compartmentId, owner);
    }

    /** What a chained parameter or _has may look into: resources of that type the token may search, or a 403 naming the scope. */
    private Restriction searchable(String type) {
        return allowed(Permission.SEARCH, type);
    }

    /**
     * Patient/[id]/$everything: the patient and every resource in its compartment, page by page,
     * in a stable order (type, then key).
     */
    public List<Resource> everything(String patientId, int offset, int count) {
        List<Resource> result = new ArrayList<>();
        Resource patient = read("Patient", patientId);
        if (offset == 0) {
            result.add(patient);
        }
        StringBuilder sql = new StringBuilder("select r.body from fhir_resource r where r.deleted = false and (");
        List<Object> args = new ArrayList<>();
        boolean first = true;
        for (String type : new java.util.TreeSet<>(Fhir.r4().getResourceTypes())) {
            List<String> params = SearchQuery.compartmentParams(type, "Patient");
            if (params.isEmpty() || type.equals("Patient")) {
                continue;
            }
            sql.append(first ? "" : " or ").append("(r.resource_type = ? and exists (select 1 from fhir_idx_reference x where x.resource_pk = r.pk "
                    + "and x.target_type = 'Patient' and x.target_id = ? and x.param in (")
                    .append(String.join(", ", params.stream().map(p -> "?").toList())).append(")))");
            args.add(type);
            args.add(patientId);
            args.addAll(params);
            first = false;
        }
        sql.append(") order by r.resource_type, r.pk offset ? rows fetch next ? rows only");
        withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int i = bind(statement, args);
                statement.setInt(i++, Math.max(0, offset - 1));
                statement.setInt(i, offset == 0 ? count - 1 : count);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        result.add(Fhir.parse(rows.getString(1)));
                    }
                }
            }
        });
        return visibleOnly(result);
    }

    private Page run(SearchQuery query, Paging paging, boolean total) {
        em.flush();
        List<Found> found = new ArrayList<>();
        long[] matches = {-1};
        boolean keyset = query.keyset() && paging.offset() == 0;
        boolean backwards = keyset && paging.before() != null;
        Long cursor = backwards ? paging.before() : keyset ? paging.after() : null;
        withConnection(connection -> {
            if (paging.count() > 0) {
                String sql = keyset ? query.keysetSql(backwards, cursor != null) : query.pageSql();
                try (PreparedStatement page = connection.prepareStatement(sql)) {
                    int i = bind(page, keyset ? query.keysetArgs() : query.pageArgs());
                    if (keyset) {
                        if (cursor != null) {
                            page.setLong(i++, cursor);
                        }
                        page.setInt(i, paging.count() + 1);
                    } else {
                        page.setInt(i++, paging.offset());
                        page.setInt(i, paging.count() + 1);
                    }
                    try (ResultSet rows = page.executeQuery()) {
                        while (rows.next()) {
                            found.add(new Found(rows.getLong(1), rows.getString(3), rows.getString(2)));
                        }
                    }
                }
            }
            if (total) {
                try (PreparedStatement counting = connection.prepareStatement(query.countSql())) {
                    bind(counting, query.args());
                    try (ResultSet rows = counting.executeQuery()) {
                        rows.next();
                        matches[0] = rows.getLong(1);
                    }
                }
            }
        });
        boolean extra = found.size() > paging.count();
        if (extra) {
            found.remove(found.size() - 1);
        }
        if (backwards) {
            java.util.Collections.reverse(found);
        }
        boolean more = backwards || extra;
        boolean earlier = backwards ? extra : keyset ? cursor != null : paging.offset() > 0;
        return new Page(found, matches[0], query.ignored(), keyset, found.isEmpty() ? null : found.get(0).pk(),
                found.isEmpty() ? null : found.get(found.size() - 1).pk(), more, earlier);
    }

    static final int MAX_INCLUDES = 1000;

    /**
     * _include and _revinclude (R4 search.html#include): the resources the matches point at, and
     * those pointing at them, each once; :iterate applies the rule to what was included too.
     */
    public List<Resource> includes(List<Resource> matches, List<String> includes, List<String> revIncludes) {
        Map<String, Resource> seen = new java.util.LinkedHashMap<>();
        matches.forEach(m -> seen.put(m.fhirType() + "/" + m.getIdElement().getIdPart(), m));
        List<Resource> included = new ArrayList<>();
        List<Resource> round = matches;
        for (int depth = 0; depth < 4 && !round.isEmpty() && included.size() < MAX_INCLUDES; depth++) {
            List<Resource> found = new ArrayList<>();
            for (String spec : includes) {
                if (depth == 0 || spec.endsWith(":iterate")) {
                    found.addAll(include(round, spec.replace(":iterate", ""), false));
                }
            }
            for (String spec : revIncludes) {
                if (depth == 0 || spec.endsWith(":iterate")) {
                    found.addAll(include(round, spec.replace(":iterate", ""), true));
                }
            }
            round = new ArrayList<>();
            for (Resource resource : found) {
                if (seen.putIfAbsent(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), resource) == null
                        && included.size() < MAX_INCLUDES) {
                    included.add(resource);
                    round.add(resource);
                }
            }
        }
        return visibleOnly(included);
    }

    private List<Resource> include(List<Resource> from, String spec, boolean reverse) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || !Fhir.isResourceType(parts[0])) {
            throw new FhirException(400, IssueType.INVALID, (reverse ? "_revinclude" : "_include") + " takes Type:parameter[:TargetType], not '" + spec + "'");
        }
        String sourceType = parts[0];
        String param = parts[1];
        String targetType = parts.length > 2 ? parts[2] : null;
        List<Resource> result = new ArrayList<>();
        // reverse: the resources pointing at these (by target id); forward: the references of these (by their keys)
        Map<String, List<Object>> byType = new java.util.HashMap<>();
        for (Resource resource : from) {
            if (reverse || resource.fhirType().equals(sourceType)) {
                byType.computeIfAbsent(resource.fhirType(), k -> new ArrayList<>()).add(reverse ? resource.getIdElement().getIdPart() : key(resource));
            }
        }
        for (Map.Entry<String, List<Object>> group : byType.entrySet()) {
            String marks = String.join(", ", java.util.Collections.nCopies(group.getValue().size(), "?"));
            List<Object> args = new ArrayList<>(group.getValue());
            String sql;
            // each list leads an index (ix_fhir_idx_reference_target, ix_fhir_idx_reference_pk): a lookup per entry, on H2 too
            if (reverse) {
                sql = "select r.pk, r.body from fhir_idx_reference x join fhir_resource r on r.pk = x.resource_pk "
                        + "where x.target_id in (" + marks + ") and x.target_type = ? and x.resource_type = ? and x.param = ? and r.deleted = false";
                args.addAll(List.of(group.getKey(), sourceType, param));
            } else {
                sql = "select r.pk, r.body from fhir_idx_reference x join fhir_resource r on r.resource_type = x.target_type "
                        + "and r.resource_id = x.target_id where x.resource_pk in (" + marks + ") and x.param = ? and x.resource_type = ? "
                        + "and r.deleted = false" + (targetType != null ? " and x.target_type = ?" : "");
                args.addAll(List.of(param, sourceType));
                if (targetType != null) {
                    args.add(targetType);
                }
            }
            withConnection(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    bind(statement, args);
                    statement.setMaxRows(MAX_INCLUDES);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            result.add(keyed(Fhir.parse(rows.getString(2)), rows.getLong(1)));
                        }
                    }
                }
            });
        }
        return result;
    }

    /** A resource read from the table, with its key, by which includes find what it points at. */
    private static Resource keyed(Resource resource, long pk) {
        resource.setUserData(KEY, pk);
        return resource;
    }

    private static final String KEY = "bastion.pk";

    private Long key(Resource resource) {
        Object pk = resource.getUserData(KEY);
        if (pk != null) {
            return (Long) pk;
        }
        return find(resource.fhirType(), resource.getIdElement().getIdPart()).map(StoredResource::pk).orElse(-1L);
    }

    private Resource write(StoredResource stored, Resource resource, String method) {
        Instant now = clock.instant();
        long version = stored.versionId() + 1;
        resource.setId(stored.resourceType() + "/" + stored.resourceId());
        resource.getMeta().setVersionId(Long.toString(version)).setLastUpdated(Date.from(now));
        stored.write(version, Fhir.json(resource), now, false);
        boolean created = stored.pk() == null;
        if (created) {
            em.persist(stored);
        }
        ResourceVersion history = new ResourceVersion(stored, method);
        em.persist(history);
        em.flush();
        // written: the persistence context need not hold them, so that each flush of a transaction of thousands
        // of entries checks the entry's own rows, not every row written so far
        em.detach(history);
        em.detach(stored);
        List<IndexRow> rows = SearchIndexer.extract(resource);
        withConnection(connection -> {
            if (created) {
                IndexWriter.insert(connection, stored.pk(), stored.resourceType(), rows);
            } else {
                IndexWriter.replace(connection, stored.pk(), stored.resourceType(), rows);
            }
        });
        subscriptions.changed(stored.resourceType(), stored.resourceId(), version);
        resource.setIdElement(resource.getIdElement().withVersion(Long.toString(version)));
        return resource;
    }

    private void checkVersion(StoredResource stored, String ifMatch) {
        if (ifMatch == null) {
            return;
        }
        String expected = ifMatch.replace("W/", "").replace("\"", "").trim();
        if (!expected.equals(Long.toString(stored.versionId()))) {
            throw new FhirException(412, IssueType.CONFLICT, "If-Match " + ifMatch + " does not match the current version "
                    + stored.versionId() + " of " + stored.resourceType() + "/" + stored.resourceId() + "; read it again and retry");
        }
    }

    /**
     * A resource by type and id, found through the index on the id alone: the type is compared as an
     * expression no index serves. PostgreSQL otherwise plans the lookup from its statistics, and for a
     * type that was rare when they were last gathered (a bulk import or a load of a type new to the
     * database) it picks the (type, last updated) index and reads every row of the type for each
     * lookup, until autovacuum analyses the table again: a load slowing to a crawl as the type grows.
     * Ids are nearly unique across types, so the id's index finds the row at once whatever the statistics.
     */
    private static final String BY_TYPE_AND_ID = "select r from StoredResource r where r.resourceId = :id and concat(r.resourceType, '') = :type";

    private Optional<StoredResource> find(String type, String id) {
        return em.createQuery(BY_TYPE_AND_ID, StoredResource.class)
                .setParameter("type", type).setParameter("id", id).getResultStream().findFirst();
    }

    private Optional<StoredResource> locked(String type, String id) {
        return em.createQuery(BY_TYPE_AND_ID, StoredResource.class)
                .setParameter("type", type).setParameter("id", id).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    private static long parseVersion(String versionId) {
        try {
            return Long.parseLong(versionId);
        } catch (NumberFormatException e) {
            throw new FhirException(404, IssueType.NOTFOUND, "Version '" + versionId + "' is not a version number");
        }
    }

    private static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new FhirException(400, IssueType.INVALID, "'" + id + "' is not a FHIR id (1 to 64 of A-Z a-z 0-9 - .)");
        }
    }

    /** What the request's token may touch for an interaction on a type; a 403 naming the missing scope when nothing. */
    private boolean mayCreate(String type) {
        return !type.equals(AUDIT_EVENT) && !access.policy().restriction(Permission.CREATE, type).denied();
    }

    private Restriction allowed(Permission permission, String type) {
        if (type.equals(AUDIT_EVENT)) {
            throw new FhirException(403, IssueType.FORBIDDEN, "AuditEvent is the server's audit trail: admins read it at /admin/api/audit;"
                    + " the FHIR API neither serves nor accepts AuditEvent resources");
        }
        AccessPolicy policy = access.policy();
        Restriction restriction = policy.restriction(permission, type);
        if (restriction.denied()) {
            throw new FhirException(403, IssueType.FORBIDDEN, policy.refusal(permission, type));
        }
        return restriction;
    }

    /** Writes, then checks in the same transaction that the result is still within reach (else all of it rolls back). */
    private Resource writeWithin(Restriction allowed, StoredResource stored, Resource resource, String method) {
        if (resource instanceof org.hl7.fhir.r4.model.Subscription subscription) {
            subscriptions.accept(subscription);
        }
        validation.onWrite(resource);
        Resource written = write(stored, resource, method);
        if (!visible(stored.resourceType(), stored.resourceId(), allowed)) {
            throw new FhirException(403, IssueType.FORBIDDEN, "This " + stored.resourceType() + " would be outside what the access token may write ("
                    + describe(allowed) + "); nothing was stored");
        }
        if (resource instanceof org.hl7.fhir.r4.model.Subscription) {
            subscriptions.owned(stored.resourceId());
        }
        return written;
    }

    private static String describe(Restriction restriction) {
        return String.join(" or ", restriction.alternatives().stream().map(a -> (a.patient() == null ? "" : "the compartment of Patient/" + a.patient())
                + (a.patient() != null && a.query() != null ? " and " : "") + (a.query() == null ? "" : "matching " + a.query())).toList());
    }

    /** Whether a current resource is within a restriction. */
    private boolean visible(String type, String id, Restriction restriction) {
        if (restriction.unrestricted()) {
            return true;
        }
        return !matchingIds(new SearchQuery(type, Map.of("_id", List.of(id))).restrict(restriction)).isEmpty();
    }

    /** The resources (Type/id) of a list the request's token may read. */
    private java.util.Set<String> visibleKeys(List<String> keys) {
        AccessPolicy policy = access.policy();
        Map<String, List<String>> idsByType = new java.util.LinkedHashMap<>();
        keys.forEach(k -> idsByType.computeIfAbsent(k.substring(0, k.indexOf('/')), t -> new ArrayList<>()).add(k.substring(k.indexOf('/') + 1)));
        java.util.Set<String> visible = new java.util.HashSet<>();
        idsByType.forEach((type, ids) -> {
            Restriction restriction = policy.restriction(Permission.READ, type);
            if (restriction.unrestricted()) {
                ids.forEach(id -> visible.add(type + "/" + id));
            } else if (!restriction.denied()) {
                matchingIds(new SearchQuery(type, Map.of("_id", List.of(String.join(",", ids)))).restrict(restriction))
                        .forEach(id -> visible.add(type + "/" + id));
            }
        });
        return visible;
    }

    /** Only the resources the request's token may read, in their order: for includes and $everything. */
    private List<Resource> visibleOnly(List<Resource> resources) {
        if (access.policy().server() || resources.isEmpty()) {
            return resources;
        }
        java.util.Set<String> visible = visibleKeys(resources.stream().map(r -> r.fhirType() + "/" + r.getIdElement().getIdPart()).toList());
        return resources.stream().filter(r -> visible.contains(r.fhirType() + "/" + r.getIdElement().getIdPart())).toList();
    }

    private List<String> matchingIds(SearchQuery query) {
        em.flush();
        List<String> ids = new ArrayList<>();
        withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(query.idSql())) {
                bind(statement, query.args());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
        });
        return ids;
    }

    private static FhirException notFound(String type, String id) {
        return new FhirException(404, IssueType.NOTFOUND, type + "/" + id + " is not known");
    }

    private static int bind(PreparedStatement statement, List<Object> args) throws SQLException {
        int i = 1;
        for (Object arg : args) {
            statement.setObject(i++, arg);
        }
        return i;
    }

    interface JdbcWork {
        void run(Connection connection) throws SQLException;
    }

    /** JDBC on the transaction's connection (the JTA datasource enlists it), for the index tables. */
    private static void withConnection(JdbcWork work) {
        DataSource ds = dataSource;
        if (ds == null) {
            ds = BastionDataSource.lookup();
            dataSource = ds;
        }
        try (Connection connection = ds.getConnection()) {
            work.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Search index write or query failed: " + e.getMessage(), e);
        }
    }
}
