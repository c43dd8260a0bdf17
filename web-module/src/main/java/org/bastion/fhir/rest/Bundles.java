package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.fhir.domain.FhirLimits;
import org.bastion.fhir.domain.ResourceVersion;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Search and history Bundles (R4 bundle.html, search.html#paging, http.html#history). */
@ApplicationScoped
public class Bundles {

    static final int DEFAULT_COUNT = 20;
    static final int MAX_COUNT = 500;

    @EJB
    FhirRepository repository;

    @Inject
    BastionSettings settings;

    public Searchset search(String type, Map<String, List<String>> params, HttpHeaders headers) {
        return search(type, params, headers, null, null);
    }

    /** A search, in a compartment when compartmentType and compartmentId are given. */
    public Searchset search(String type, Map<String, List<String>> params, HttpHeaders headers, String compartmentType, String compartmentId) {
        FhirLimits limits = settings.fhirLimits();
        int count = number(params, "_count", DEFAULT_COUNT, 0, limits.count());
        int offset = offset(params, limits);
        List<String> includes = withIterate(params, "_include");
        List<String> revIncludes = withIterate(params, "_revinclude");
        if (includes.size() + revIncludes.size() > limits.includeSpecs()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded((includes.size() + revIncludes.size())
                    + " _include and _revinclude parameters", limits.includeSpecs(), "BASTION_FHIR_MAX_INCLUDES"));
        }
        boolean summaryCount = "count".equals(first(params, "_summary"));
        boolean total = summaryCount || "accurate".equals(first(params, "_total"));
        FhirRepository.Paging paging = new FhirRepository.Paging(offset, key(params, "_cursor"), key(params, "_prev"), summaryCount ? 0 : count);
        FhirRepository.Page page = compartmentType == null
                ? repository.search(type, params, paging, total)
                : repository.searchCompartment(compartmentType, compartmentId, type, params, paging, total);
        String prefer = headers.getHeaderString("Prefer");
        if (!page.ignored().isEmpty() && prefer != null && prefer.contains("handling=strict")) {
            throw new FhirException(400, IssueType.NOTSUPPORTED, "Unknown search parameter(s) for " + type + ": "
                    + String.join(", ", page.ignored()) + " (Prefer: handling=strict)");
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.getMeta().setLastUpdated(new Date());
        if (page.total() >= 0) {
            bundle.setTotal((int) page.total());
        }
        String base = settings.fhirBase() + (compartmentType == null ? "" : "/" + compartmentType + "/" + compartmentId) + "/" + type;
        bundle.addLink().setRelation("self").setUrl(base + self(params));
        if (!summaryCount && page.more()) {
            bundle.addLink().setRelation("next").setUrl(base + (page.keyset()
                    ? query(params, "_cursor", page.lastKey(), count) : query(params, offset + count, count)));
        }
        if (!summaryCount && page.earlier()) {
            bundle.addLink().setRelation("previous").setUrl(base + (page.keyset()
                    ? query(params, "_prev", page.firstKey(), count) : query(params, Math.max(0, offset - count), count)));
        }
        List<Searchset.Match> matches = page.found().stream()
                .map(found -> new Searchset.Match(settings.fhirBase() + "/" + type + "/" + found.id(), found)).toList();
        List<Bundle.BundleEntryComponent> after = new java.util.ArrayList<>();
        if (!summaryCount && (!includes.isEmpty() || !revIncludes.isEmpty())) {
            for (Resource resource : repository.includes(page.resources(), includes, revIncludes)) {
                Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent()
                        .setFullUrl(settings.fhirBase() + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart()).setResource(resource);
                entry.getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
                after.add(entry);
            }
        }
        if (!page.ignored().isEmpty()) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING).setCode(IssueType.NOTSUPPORTED)
                    .setDiagnostics("Ignored unknown search parameter(s) for " + type + ": " + String.join(", ", page.ignored()));
            Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(outcome);
            entry.getSearch().setMode(Bundle.SearchEntryMode.OUTCOME);
            after.add(entry);
        }
        return new Searchset(bundle, matches, after);
    }

    /** Patient/[id]/$everything as a searchset, paged with _count and _offset. */
    public Bundle everything(String patientId, Map<String, List<String>> params) {
        int count = number(params, "_count", MAX_COUNT, 1, MAX_COUNT);
        int offset = offset(params, settings.fhirLimits());
        List<Resource> resources = repository.everything(patientId, offset, count);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.getMeta().setLastUpdated(new Date());
        String base = settings.fhirBase() + "/Patient/" + patientId + "/$everything";
        bundle.addLink().setRelation("self").setUrl(base + self(params));
        if (resources.size() == count) {
            bundle.addLink().setRelation("next").setUrl(base + query(params, offset + count, count));
        }
        for (Resource resource : resources) {
            bundle.addEntry().setFullUrl(settings.fhirBase() + "/" + resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                    .setResource(resource).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    public Bundle history(String type, String id, UriInfo uriInfo) {
        Map<String, List<String>> params = uriInfo.getQueryParameters();
        int count = number(params, "_count", DEFAULT_COUNT, 1, MAX_COUNT);
        String since = first(params, "_since");
        Instant sinceInstant = null;
        if (since != null) {
            try {
                sinceInstant = new InstantType(since).getValue().toInstant();
            } catch (RuntimeException e) {
                throw new FhirException(400, IssueType.INVALID, "_since must be an instant such as 2024-01-01T00:00:00Z, not '" + since + "'");
            }
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.HISTORY);
        bundle.getMeta().setLastUpdated(new Date());
        bundle.addLink().setRelation("self").setUrl(uriInfo.getRequestUri().toString());
        for (ResourceVersion version : repository.history(type, id, sinceInstant, count)) {
            Bundle.BundleEntryComponent entry = bundle.addEntry()
                    .setFullUrl(settings.fhirBase() + "/" + version.resourceType() + "/" + version.resourceId());
            entry.getRequest().setMethod(Bundle.HTTPVerb.fromCode(version.method()))
                    .setUrl(version.resourceType() + ("POST".equals(version.method()) ? "" : "/" + version.resourceId()));
            entry.getResponse().setStatus(version.deleted() ? "204" : "POST".equals(version.method()) ? "201" : "200")
                    .setEtag("W/\"" + version.versionId() + "\"").setLastModified(Date.from(version.lastUpdated()));
            if (!version.deleted()) {
                entry.setResource(Fhir.parse(version.body()));
            }
        }
        return bundle;
    }

    /** A keyset page link: the search with the cursor (after or before a key) instead of any earlier one. */
    private static String query(Map<String, List<String>> params, String cursor, Long key, int count) {
        return "?" + rest(params) + "_count=" + count + "&" + cursor + "=" + key;
    }

    private static String rest(Map<String, List<String>> params) {
        String rest = params.entrySet().stream()
                .filter(e -> !PAGING.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        return rest.isEmpty() ? "" : rest + "&";
    }

    private static final java.util.Set<String> PAGING = java.util.Set.of("_offset", "_count", "_cursor", "_prev");

    private static Long key(Map<String, List<String>> params, String name) {
        String value = first(params, name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new FhirException(400, IssueType.INVALID, name + " must be a page key from a next or previous link, not '" + value + "'");
        }
    }

    private static String query(Map<String, List<String>> params, int offset, int count) {
        return "?" + rest(params) + "_count=" + count + "&_offset=" + offset;
    }

    /** The search as asked, in a stable order. */
    private static String self(Map<String, List<String>> params) {
        String query = params.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    /** The rules of _include (or _revinclude), those given as _include:iterate marked with :iterate. */
    private static List<String> withIterate(Map<String, List<String>> params, String name) {
        List<String> rules = new java.util.ArrayList<>(params.getOrDefault(name, List.of()));
        params.getOrDefault(name + ":iterate", List.of()).forEach(rule -> rules.add(rule + ":iterate"));
        return rules;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** _offset, refused beyond the limit: a deep offset makes the database count past every earlier row. */
    private static int offset(Map<String, List<String>> params, FhirLimits limits) {
        int offset = number(params, "_offset", 0, 0, Integer.MAX_VALUE);
        if (offset > limits.offset()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded("_offset " + offset, limits.offset(), "BASTION_FHIR_MAX_OFFSET")
                    + "; narrow the search, or page on by the next links");
        }
        return offset;
    }

    private static int number(Map<String, List<String>> params, String name, int fallback, int min, int max) {
        String value = first(params, name);
        if (value == null) {
            return fallback;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            throw new FhirException(400, IssueType.INVALID, name + " must be a whole number, not '" + value + "'");
        }
    }
}
