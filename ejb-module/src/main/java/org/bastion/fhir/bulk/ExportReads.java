package org.bastion.fhir.bulk;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.parser.IParser;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.oauth.application.InvalidTokenException;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.application.TokenPolicies;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The pages an export job reads, each with the job's own authority: the kick-off token's scopes as
 * far as its client still has them (TokenPolicies), put in place as the access policy of the page's
 * request context, so the repository's one gate decides for a job as it does for a request.
 */
@Stateless
public class ExportReads {

    @EJB
    FhirRepository repository;

    @Inject
    RequestAccess access;

    @Inject
    TokenPolicies policies;

    /** One line of an export file: the unit it was read in and its key (the job's position once written), the file and the JSON. */
    public record Line(int unit, long pk, String file, String kind, String type, String json) {
    }

    /**
     * The next page of the job's unit after the cursor: its resources, or for the unit after the
     * types (with _since), the deleted ones as DELETE entries. Empty when the unit has no more.
     */
    @ActivateRequestContext
    public List<Line> page(BulkJob job, ExportRequest request, int unit, Long cursor, int count) {
        authorize(job);
        List<Line> lines = new ArrayList<>();
        if (unit < request.types().size()) {
            String type = request.types().get(unit);
            Set<String> elements = elements(request.elements(), type);
            IParser parser = elements.isEmpty() ? null : Fhir.r4().newJsonParser().setEncodeElements(elements);
            for (FhirRepository.Found found : repository.exportPage(type, request.since(), job.transactionTime(),
                    request.typeFilters().getOrDefault(type, List.of()), request.patients(), cursor, count)) {
                String json = parser == null ? found.json() : parser.encodeResourceToString(found.resource());
                lines.add(new Line(unit, found.pk(), type + ".ndjson", ExportProgress.OUTPUT, type, json));
            }
        } else if (unit == request.types().size() && request.reportsDeleted()) {
            for (FhirRepository.Deleted deleted : repository.deletedPage(request.types(), request.since(), job.transactionTime(), cursor, count)) {
                Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
                bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(deleted.type() + "/" + deleted.id());
                lines.add(new Line(unit, deleted.pk(), "deleted.ndjson", ExportProgress.DELETED, "Bundle", Fhir.json(bundle)));
            }
        }
        return lines;
    }

    private void authorize(BulkJob job) {
        try {
            access.set(policies.clientPolicy(job.clientId(), List.of(job.scopes().split(" "))));
        } catch (InvalidTokenException e) {
            throw new FhirException(403, IssueType.FORBIDDEN, "The export stopped: " + e.getMessage());
        }
    }

    /** HAPI's encode-elements for a type from _elements ([type.]element, root elements): empty when none applies (the whole resource). */
    static Set<String> elements(List<String> elements, String type) {
        Set<String> encode = new HashSet<>();
        if (elements.isEmpty()) {
            return encode;
        }
        for (String element : elements) {
            int dot = element.indexOf('.');
            if (dot < 0) {
                encode.add(type + "." + element);
            } else if (element.substring(0, dot).equals(type)) {
                encode.add(element);
            }
        }
        if (!encode.isEmpty()) {
            // the type's mandatory elements stay (Bulk Data IG: unlisted, non-mandatory elements are left out)
            for (BaseRuntimeChildDefinition child : Fhir.r4().getResourceDefinition(type).getChildren()) {
                if (child.getMin() > 0) {
                    encode.add(type + "." + child.getElementName().replace("[x]", ""));
                }
            }
        }
        return encode;
    }
}
