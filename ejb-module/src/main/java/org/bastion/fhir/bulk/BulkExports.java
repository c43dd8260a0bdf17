package org.bastion.fhir.bulk;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.fhir.search.SearchQuery;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.platform.BastionSettings;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.application.TokenPolicies;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.SmartScope.Permission;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Bulk Data export (FHIR Bulk Data Access IG 2.0): kick-off, status, cancel and files. Only a
 * backend service — a Bastion client acting for itself with system/ scopes an admin granted — may
 * export; the job reads with those scopes as far as the client still has them, and only that
 * client sees the job and its files.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class BulkExports {

    /** Group members one export may name: the patients' ids go into one query. */
    static final int MAX_PATIENTS = 10_000;
    private static final Set<String> FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final Set<String> PARAMETERS = Set.of("_outputFormat", "_since", "_type", "_typeFilter", "_elements", "patient");
    private static final Set<String> NOT_FILTERS = Set.of("_count", "_sort", "_include", "_revinclude", "_summary", "_elements", "_total",
            "_contained", "_containedType", "_format", "_pretty");
    private static final Pattern ELEMENT = Pattern.compile("([A-Z][A-Za-z]{1,63}\\.)?[a-z][A-Za-z0-9]{0,63}");
    private static final Pattern PATIENT = Pattern.compile("(?:.*/)?Patient/([A-Za-z0-9\\-.]{1,64})");

    /** Who asks: the verified token's client, subject, issuer and scopes. */
    public record Requester(String clientId, String subject, boolean issuedHere, Set<String> scopes) {
    }

    /** A kick-off: the level, the group's id, the parameters (a POST's Parameters flattened), lenient handling and the URL asked. */
    public record KickOff(ExportRequest.Level level, String group, Map<String, List<String>> parameters, boolean lenient, String requestUrl) {
    }

    @EJB
    BulkJobs jobs;

    @EJB
    FhirRepository repository;

    @Inject
    TokenPolicies policies;

    @Inject
    RequestAccess access;

    @Inject
    BulkFiles files;

    @Inject
    BastionSettings settings;

    /** Starts an export: the job's id, for the status URL. Every refusal is a FhirException naming its reason. */
    public String kickOff(Requester requester, KickOff kickOff) {
        AccessPolicy policy = exportPolicy(requester);
        // the kick-off's own reads (the group) go through the same gate with the export's authority
        access.set(policy);
        ExportRequest request = request(policy, kickOff);
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ExportProgress progress = notes(id, request.notes());
        try {
            jobs.create(new BulkJob(id, BulkJob.Kind.EXPORT, requester.clientId(), String.join(" ", requester.scopes()), kickOff.requestUrl(),
                    request.json(), now, progress.json()));
        } catch (RuntimeException e) {
            files.delete(id);
            throw e;
        }
        BulkJob.Kind.EXPORT.start(id);
        return id;
    }

    /** A job as its client may see it: 404 for another client's, a cancelled one, or none. */
    public BulkJob status(Requester requester, String id) {
        backendService(requester);
        BulkJob job = jobs.find(id).orElse(null);
        if (job == null || !job.clientId().equals(requester.clientId()) || job.status() == BulkJob.Status.CANCELLED) {
            throw new FhirException(404, IssueType.NOTFOUND, "No bulk job " + id + " of client '" + requester.clientId()
                    + "': it never was, it was cancelled or it expired, or another client started it");
        }
        return job;
    }

    /** DELETE on the status URL: the job stops (it checks at each chunk) and its files go. */
    public void cancel(Requester requester, String id) {
        status(requester, id);
        Instant now = Instant.now();
        jobs.cancel(id, now, now.plus(settings.bulkRetention()));
        files.delete(id);
    }

    /** A completed export's file, as its progress records it, for the client that started it and as long as it may read the type. */
    public ExportFile file(Requester requester, String id, String name) {
        BulkJob job = status(requester, id);
        ExportProgress.FileState found = ExportProgress.parse(job.progress()).files().get(name);
        // a completed job's files; of a failed one, its error file (what went wrong up to the failure)
        ExportProgress.FileState state = job.status() == BulkJob.Status.COMPLETED
                || job.status() == BulkJob.Status.FAILED && found != null && found.kind().equals(ExportProgress.ERROR) ? found : null;
        Path path = files.file(id, name);
        if (state == null || path == null || !Files.exists(path)) {
            throw new FhirException(404, IssueType.NOTFOUND, "Bulk job " + id + " has no file '" + name + "'"
                    + (job.status() == BulkJob.Status.COMPLETED ? "" : " yet: it is " + job.status().name().toLowerCase()));
        }
        if (job.kind() == BulkJob.Kind.EXPORT && state.kind().equals(ExportProgress.OUTPUT)) {
            try {
                if (policies.clientPolicy(requester.clientId(), List.of(job.scopes().split(" "))).restriction(Permission.READ, state.type()).denied()) {
                    throw new FhirException(403, IssueType.FORBIDDEN, "Client '" + requester.clientId() + "' may no longer read "
                            + state.type() + " (an admin changed its scopes), so the export's " + name + " is not served");
                }
            } catch (InvalidTokenException e) {
                throw new FhirException(403, IssueType.FORBIDDEN, e.getMessage());
            }
        }
        return new ExportFile(path, state.bytes());
    }

    /** An admin cancels any job (the console): false when it was cancelled already or is gone. */
    public boolean adminCancel(String id) {
        Instant now = Instant.now();
        boolean cancelled = jobs.cancel(id, now, now.plus(settings.bulkRetention()));
        files.delete(id);
        return cancelled;
    }

    /** A job's error file, for an admin (the console): what failed and why, no resources. Empty when it has none. */
    public java.util.Optional<ExportFile> errorFile(String id) {
        return jobs.find(id).filter(job -> job.status() != BulkJob.Status.CANCELLED)
                .map(job -> ExportProgress.parse(job.progress()).files().get(ImportProgress.ERRORS))
                .filter(state -> Files.exists(files.folder(id).resolve(ImportProgress.ERRORS)))
                .map(state -> new ExportFile(files.folder(id).resolve(ImportProgress.ERRORS), state.bytes()));
    }

    /** A file to stream: its path and how many of its bytes belong to the export. */
    public record ExportFile(Path path, long bytes) {
    }

    private AccessPolicy exportPolicy(Requester requester) {
        backendService(requester);
        AccessPolicy policy;
        try {
            policy = policies.clientPolicy(requester.clientId(), requester.scopes());
        } catch (InvalidTokenException e) {
            throw new FhirException(403, IssueType.FORBIDDEN, e.getMessage());
        }
        if (exportable(ExportRequest.Level.SYSTEM).stream().allMatch(type -> policy.restriction(Permission.READ, type).denied())) {
            throw new FhirException(403, IssueType.FORBIDDEN, "Bulk export needs system/ read scopes, such as system/*.rs or"
                    + " system/Patient.rs (v1: system/*.read), which an admin grants to a backend-service client; this token has "
                    + (requester.scopes().isEmpty() ? "no scopes" : String.join(" ", requester.scopes())));
        }
        return policy;
    }

    /** Only Bastion's own tokens of a client acting for itself start, see or fetch an export: never an external issuer's or a user's. */
    static void backendService(Requester requester) {
        if (!requester.issuedHere()) {
            throw new FhirException(403, IssueType.FORBIDDEN, "Bulk data is for Bastion's backend services: a token of an external"
                    + " issuer neither starts nor reads one; get a token from this server's token endpoint with client_credentials");
        }
        if (requester.clientId() == null || !requester.clientId().equals(requester.subject())) {
            throw new FhirException(403, IssueType.FORBIDDEN, "Bulk data is for backend services acting for themselves (SMART Backend"
                    + " Services: the client_credentials grant, ideally with private_key_jwt); this token acts for user '" + requester.subject() + "'");
        }
    }

    /** The types a level exports: every type but the audit trail; at patient and group level those of the Patient compartment. */
    static List<String> exportable(ExportRequest.Level level) {
        List<String> types = new ArrayList<>();
        for (String type : new TreeSet<>(Fhir.r4().getResourceTypes())) {
            if (type.equals(FhirRepository.AUDIT_EVENT)) {
                continue;
            }
            if (level == ExportRequest.Level.SYSTEM || type.equals("Patient") || !SearchQuery.compartmentParams(type, "Patient").isEmpty()) {
                types.add(type);
            }
        }
        return types;
    }

    private ExportRequest request(AccessPolicy policy, KickOff kickOff) {
        Map<String, List<String>> params = kickOff.parameters();
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new FhirException(400, IssueType.NOTSUPPORTED, "Bulk export parameter '" + name + "' is not supported; the parameters are "
                        + String.join(", ", new TreeSet<>(PARAMETERS)));
            }
        }
        for (String format : values(params, "_outputFormat")) {
            if (!FORMATS.contains(format)) {
                throw new FhirException(400, IssueType.NOTSUPPORTED, "_outputFormat '" + format + "' is not supported: use application/fhir+ndjson"
                        + " (or application/ndjson, ndjson)");
            }
        }
        List<String> notes = new ArrayList<>();
        List<String> levelTypes = exportable(kickOff.level());
        List<String> asked = values(params, "_type");
        List<String> types = new ArrayList<>();
        for (String type : asked.isEmpty() ? levelTypes : asked) {
            String problem = null;
            int status = 400;
            IssueType issue = IssueType.NOTSUPPORTED;
            if (!Fhir.isResourceType(type) || type.equals(FhirRepository.AUDIT_EVENT)) {
                problem = "'" + type + "' is not a resource type this server exports";
            } else if (!levelTypes.contains(type)) {
                problem = type + " is not in the Patient compartment, so a patient or group export has none";
            } else if (policy.restriction(Permission.READ, type).denied()) {
                if (asked.isEmpty()) {
                    continue;
                }
                problem = policy.refusal(Permission.READ, type);
                status = 403;
                issue = IssueType.FORBIDDEN;
            }
            if (problem == null) {
                if (!types.contains(type)) {
                    types.add(type);
                }
            } else if (kickOff.lenient()) {
                notes.add(problem + ": left out (Prefer: handling=lenient)");
            } else {
                throw new FhirException(status, issue, problem + (status == 400 ? "; send Prefer: handling=lenient to export the rest" : ""));
            }
        }
        if (types.isEmpty()) {
            throw notes.isEmpty() ? new FhirException(403, IssueType.FORBIDDEN, "None of the resource types asked for may be exported with this token's scopes")
                    : new FhirException(400, IssueType.NOTSUPPORTED, "None of the resource types asked for can be exported: " + String.join("; ", notes));
        }
        Instant since = since(values(params, "_since"));
        Map<String, List<String>> filters = typeFilters(values(params, "_typeFilter"), types, notes);
        List<String> elements = values(params, "_elements");
        for (String element : elements) {
            if (!ELEMENT.matcher(element).matches()) {
                throw new FhirException(400, IssueType.INVALID, "_elements '" + element + "' is not an element name or Type.element");
            }
        }
        List<String> patients = patients(kickOff, values(params, "patient"));
        return new ExportRequest(kickOff.level(), kickOff.group(), types, since, filters, elements, patients, notes);
    }

    /** A parameter's values, comma-separated lists split, blanks dropped. */
    private static List<String> values(Map<String, List<String>> params, String name) {
        List<String> values = new ArrayList<>();
        for (String value : params.getOrDefault(name, List.of())) {
            for (String part : name.equals("_typeFilter") ? List.of(value) : List.of(value.split(","))) {
                if (!part.isBlank()) {
                    values.add(part.trim());
                }
            }
        }
        return values;
    }

    private static Instant since(List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new FhirException(400, IssueType.INVALID, "_since is given " + values.size() + " times; give it once");
        }
        try {
            InstantType instant = new InstantType(values.get(0));
            if (instant.getValue() == null) {
                throw new IllegalArgumentException("empty");
            }
            return instant.getValue().toInstant();
        } catch (RuntimeException e) {
            throw new FhirException(400, IssueType.INVALID, "_since '" + values.get(0) + "' is not a FHIR instant (such as"
                    + " 2024-01-31T12:00:00Z, with seconds and a time zone)");
        }
    }

    /** _typeFilter: Type?query, each checked as a search of that type; a resource matching any of a type's filters is exported. */
    private Map<String, List<String>> typeFilters(List<String> values, List<String> types, List<String> notes) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        AccessPolicy.Restriction any = new AccessPolicy.Restriction(List.of(new AccessPolicy.Alternative(null, null)));
        for (String value : values) {
            int question = value.indexOf('?');
            String type = question < 0 ? value : value.substring(0, question);
            if (question < 0 || question == value.length() - 1 || !Fhir.isResourceType(type)) {
                throw new FhirException(400, IssueType.INVALID, "_typeFilter '" + value + "' is not Type?search (such as Observation?code=8867-4)");
            }
            String query = value.substring(question + 1);
            Map<String, List<String>> search = Fhir.parseQuery(query);
            for (String name : search.keySet()) {
                if (NOT_FILTERS.contains(name)) {
                    throw new FhirException(400, IssueType.INVALID, "_typeFilter '" + value + "': " + name + " shapes results, it does not filter them");
                }
            }
            List<String> ignored = new SearchQuery(type, search, t -> any, settings.fhirLimits()).ignored();
            if (!ignored.isEmpty()) {
                throw new FhirException(400, IssueType.NOTSUPPORTED, "_typeFilter '" + value + "': " + type + " has no search parameter "
                        + String.join(", ", ignored));
            }
            if (!types.contains(type)) {
                notes.add("_typeFilter '" + value + "' names a type this export does not include: ignored");
                continue;
            }
            filters.computeIfAbsent(type, t -> new ArrayList<>()).add(query);
        }
        return filters;
    }

    /** The patients whose compartments are exported: a group's members (within the patient parameter, when given), or null at system level. */
    private List<String> patients(KickOff kickOff, List<String> references) {
        if (kickOff.level() == ExportRequest.Level.SYSTEM) {
            if (!references.isEmpty()) {
                throw new FhirException(400, IssueType.INVALID, "patient applies to Patient/$export and Group/[id]/$export, not to [base]/$export");
            }
            return null;
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String reference : references) {
            java.util.regex.Matcher m = PATIENT.matcher(reference);
            if (!m.matches()) {
                throw new FhirException(400, IssueType.INVALID, "patient '" + reference + "' is not a reference to a Patient (Patient/[id])");
            }
            asked.add(m.group(1));
        }
        if (kickOff.level() == ExportRequest.Level.PATIENT) {
            return List.copyOf(asked);
        }
        Group group = (Group) repository.read("Group", kickOff.group());
        Set<String> members = new LinkedHashSet<>();
        for (Group.GroupMemberComponent member : group.getMember()) {
            java.util.regex.Matcher m = PATIENT.matcher(member.getEntity().getReference() == null ? "" : member.getEntity().getReference());
            if (!member.getInactive() && m.matches() && (asked.isEmpty() || asked.contains(m.group(1)))) {
                members.add(m.group(1));
            }
        }
        if (members.size() > MAX_PATIENTS) {
            throw new FhirException(400, IssueType.TOOCOSTLY, "Group/" + kickOff.group() + " has " + members.size() + " patient members;"
                    + " one export takes at most " + MAX_PATIENTS + ": export it in parts with the patient parameter (POST)");
        }
        // a group without patient members exports nothing, rather than every patient's compartment
        return members.isEmpty() ? List.of("") : List.copyOf(members);
    }

    /** The error file's first lines, written before the job starts: what the kick-off left out. */
    private ExportProgress notes(String id, List<String> notes) {
        if (notes.isEmpty()) {
            return ExportProgress.START;
        }
        StringBuilder text = new StringBuilder();
        for (String note : notes) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING).setCode(IssueType.INFORMATIONAL).setDiagnostics(note);
            text.append(Fhir.json(outcome)).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        Path folder = files.folder(id);
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = files.append(id, ImportProgress.ERRORS)) {
                BulkFiles.writeFully(channel, bytes);
                channel.force(true);
            }
            files.syncFolder(id);
        } catch (IOException e) {
            throw new UncheckedIOException("Bulk export " + id + ": cannot write its files in " + folder, e);
        }
        return new ExportProgress(0, null, Map.of(ImportProgress.ERRORS, new ExportProgress.FileState(ExportProgress.ERROR, "OperationOutcome",
                notes.size(), bytes.length)));
    }
}
