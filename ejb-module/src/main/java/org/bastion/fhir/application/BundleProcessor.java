package org.bastion.fhir.application;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Batch and transaction Bundles posted to the base (R4 http.html#transaction): a transaction is
 * all or nothing, in FHIR's order (DELETE, POST, PUT, GET) with urn:uuid references resolved;
 * batch entries each succeed or fail on their own.
 */
@Stateless
public class BundleProcessor {

    static final int MAX_ENTRIES = 50_000;
    /** Marks an allocated id that a conditional create found already there. */
    private static final String EXISTING = "existing:";

    @EJB
    FhirRepository repository;

    @Resource
    SessionContext context;

    /** Resolves an entry's GET: the base-relative URL to a search or a read. */
    public interface Reader {
        org.hl7.fhir.r4.model.Resource get(String url);
    }

    public Bundle transaction(Bundle bundle, Reader reader) {
        check(bundle);
        List<BundleEntryComponent> entries = bundle.getEntry();
        Bundle.BundleEntryComponent[] responses = new Bundle.BundleEntryComponent[entries.size()];
        Map<String, String> ids = allocate(entries);
        // a transaction's entries point at the same few conditional targets (Synthea: the organization and practitioner of
        // each encounter): each is searched once
        Map<String, String> conditionals = new HashMap<>();
        for (BundleEntryComponent entry : entries) {
            if (entry.hasResource()) {
                resolveReferences(entry.getResource(), ids, conditionals);
            }
        }
        for (HTTPVerb verb : List.of(HTTPVerb.DELETE, HTTPVerb.POST, HTTPVerb.PUT, HTTPVerb.PATCH, HTTPVerb.GET, HTTPVerb.HEAD)) {
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).getRequest().getMethod() == verb) {
                    try {
                        responses[i] = execute(entries.get(i), ids, reader);
                    } catch (FhirException e) {
                        throw new FhirException(e.status(), e.issueType(), "Transaction entry " + i + " (" + verb + " "
                                + entries.get(i).getRequest().getUrl() + ") failed, nothing was changed: " + e.getMessage(), e.outcome());
                    }
                }
            }
        }
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (BundleEntryComponent entry : responses) {
            response.addEntry(entry);
        }
        return response;
    }

    public Bundle batch(Bundle bundle, Reader reader) {
        check(bundle);
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        BundleProcessor self = context.getBusinessObject(BundleProcessor.class);
        for (BundleEntryComponent entry : bundle.getEntry()) {
            try {
                response.addEntry(self.one(entry, reader));
            } catch (FhirException e) {
                OperationOutcome outcome = e.outcome() != null ? e.outcome() : new OperationOutcome();
                if (e.outcome() == null) {
                    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(e.issueType()).setDiagnostics(e.getMessage());
                }
                BundleEntryComponent failed = new BundleEntryComponent();
                failed.getResponse().setStatus(Integer.toString(e.status())).setOutcome(outcome);
                response.addEntry(failed);
            }
        }
        return response;
    }

    /** One batch entry in a transaction of its own. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public BundleEntryComponent one(BundleEntryComponent entry, Reader reader) {
        if (entry.hasResource()) {
            resolveReferences(entry.getResource(), new HashMap<>(), new HashMap<>());
        }
        return execute(entry, new HashMap<>(), reader);
    }

    private BundleEntryComponent execute(BundleEntryComponent entry, Map<String, String> ids, Reader reader) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String url = request.getUrl() == null ? "" : request.getUrl();
        String[] path = url.split("\\?", 2)[0].split("/");
        String type = path[0];
        if (request.getMethod() == HTTPVerb.GET || request.getMethod() == HTTPVerb.HEAD) {
            BundleEntryComponent done = new BundleEntryComponent().setResource(reader.get(url));
            done.getResponse().setStatus("200 OK");
            return done;
        }
        if (!Fhir.isResourceType(type)) {
            throw new FhirException(400, IssueType.INVALID, "Entry request url '" + url + "' does not start with a resource type");
        }
        FhirRepository.Stored stored;
        switch (request.getMethod()) {
            case DELETE -> {
                if (url.contains("?")) {
                    repository.conditionalDelete(type, url.substring(url.indexOf('?') + 1));
                } else {
                    repository.delete(type, path.length > 1 ? path[1] : missingId(url));
                }
                BundleEntryComponent done = new BundleEntryComponent();
                done.getResponse().setStatus("204 No Content");
                return done;
            }
            case POST -> {
                org.hl7.fhir.r4.model.Resource resource = body(entry, type);
                String allocated = entry.getFullUrl() == null ? null : ids.get(entry.getFullUrl());
                if (allocated != null && allocated.startsWith(EXISTING)) {
                    stored = new FhirRepository.Stored(repository.read(type, allocated.substring(EXISTING.length() + type.length() + 1)), false);
                } else if (allocated != null) {
                    stored = repository.createWithId(type, allocated.substring(type.length() + 1), resource);
                } else {
                    stored = repository.create(type, resource, request.getIfNoneExist());
                }
            }
            case PUT -> {
                org.hl7.fhir.r4.model.Resource resource = body(entry, type);
                stored = url.contains("?")
                        ? repository.conditionalUpdate(type, url.substring(url.indexOf('?') + 1), resource)
                        : repository.update(type, path.length > 1 ? path[1] : missingId(url), resource, request.getIfMatch());
            }
            default -> throw new FhirException(400, IssueType.NOTSUPPORTED, "Entry method " + request.getMethod() + " is not supported in a bundle");
        }
        BundleEntryComponent done = new BundleEntryComponent().setResource(stored.resource())
                .setFullUrl(stored.resource().fhirType() + "/" + stored.resource().getIdElement().getIdPart());
        done.getResponse().setStatus(stored.created() ? "201 Created" : "200 OK")
                .setLocation(stored.resource().fhirType() + "/" + stored.resource().getIdElement().getIdPart() + "/_history/"
                        + stored.resource().getMeta().getVersionId())
                .setEtag("W/\"" + stored.resource().getMeta().getVersionId() + "\"")
                .setLastModified(stored.resource().getMeta().getLastUpdated());
        return done;
    }

    /** Ids for the transaction's creates, so urn:uuid references can point at them before they exist. */
    private Map<String, String> allocate(List<BundleEntryComponent> entries) {
        Map<String, String> ids = new HashMap<>();
        for (BundleEntryComponent entry : entries) {
            String fullUrl = entry.getFullUrl();
            if (fullUrl == null || !fullUrl.startsWith("urn:uuid:") || !entry.hasResource()) {
                continue;
            }
            String url = entry.getRequest().getUrl();
            if (entry.getRequest().getMethod() == HTTPVerb.PUT && url != null && !url.contains("?")) {
                // an update by id: references to its fullUrl name the resource at its URL
                ids.put(fullUrl, url.startsWith("/") ? url.substring(1) : url);
                continue;
            }
            if (entry.getRequest().getMethod() != HTTPVerb.POST) {
                continue;
            }
            String type = entry.getResource().fhirType();
            String ifNoneExist = entry.getRequest().getIfNoneExist();
            if (ifNoneExist != null && !ifNoneExist.isBlank()) {
                List<org.hl7.fhir.r4.model.Resource> existing = repository.search(type, Fhir.parseQuery(ifNoneExist), 0, 2, false).resources();
                if (existing.size() > 1) {
                    throw new FhirException(412, IssueType.DUPLICATE, "If-None-Exist '" + ifNoneExist + "' of entry " + fullUrl + " matches more than one " + type);
                }
                if (existing.size() == 1) {
                    ids.put(fullUrl, EXISTING + type + "/" + existing.get(0).getIdElement().getIdPart());
                    continue;
                }
            }
            ids.put(fullUrl, type + "/" + UUID.randomUUID());
        }
        return ids;
    }

    private void resolveReferences(org.hl7.fhir.r4.model.Resource resource, Map<String, String> ids, Map<String, String> conditionals) {
        for (Reference reference : Fhir.r4().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = reference.getReference();
            if (target != null && target.contains("?") && Fhir.isResourceType(target.substring(0, target.indexOf('?')))) {
                reference.setReference(conditionals.computeIfAbsent(target, this::conditional));
                continue;
            }
            if (target != null && target.startsWith("urn:uuid:")) {
                String id = ids.get(target);
                if (id == null) {
                    throw new FhirException(400, IssueType.NOTFOUND, "Reference " + target + " names no entry of the transaction");
                }
                reference.setReference(id.startsWith(EXISTING) ? id.substring(EXISTING.length()) : id);
            }
        }
    }

    /** A conditional reference (R4 http.html#trules): Type?params must match exactly one resource. */
    private String conditional(String target) {
        String type = target.substring(0, target.indexOf('?'));
        List<org.hl7.fhir.r4.model.Resource> matches = repository.search(type, Fhir.parseQuery(target.substring(target.indexOf('?') + 1)),
                0, 2, false).resources();
        if (matches.size() != 1) {
            throw new FhirException(matches.isEmpty() ? 404 : 412, matches.isEmpty() ? IssueType.NOTFOUND : IssueType.DUPLICATE,
                    "Conditional reference " + target + " matches " + (matches.isEmpty() ? "nothing" : "more than one resource"));
        }
        return type + "/" + matches.get(0).getIdElement().getIdPart();
    }

    private static org.hl7.fhir.r4.model.Resource body(BundleEntryComponent entry, String type) {
        if (!entry.hasResource()) {
            throw new FhirException(400, IssueType.REQUIRED, "Entry " + entry.getRequest().getMethod() + " " + entry.getRequest().getUrl() + " has no resource");
        }
        if (!type.equals(entry.getResource().fhirType())) {
            throw new FhirException(400, IssueType.INVALID, "Entry resource is a " + entry.getResource().fhirType() + " but its url names " + type);
        }
        return entry.getResource();
    }

    private static String missingId(String url) {
        throw new FhirException(400, IssueType.INVALID, "Entry url '" + url + "' needs an id (Type/id) or conditions (Type?params)");
    }

    private static void check(Bundle bundle) {
        if (bundle.getEntry().size() > MAX_ENTRIES) {
            throw new FhirException(413, IssueType.TOOCOSTLY, "A bundle may have at most " + MAX_ENTRIES + " entries");
        }
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.getRequest().hasMethod()) {
                throw new FhirException(400, IssueType.REQUIRED, "Every entry of a " + bundle.getType().toCode() + " needs request.method and request.url");
            }
        }
    }
}
