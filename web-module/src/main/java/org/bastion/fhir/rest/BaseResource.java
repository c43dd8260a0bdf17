package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.bastion.fhir.application.BundleProcessor;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

/**
 * POST [base]: a batch or transaction Bundle (R4 http.html#transaction). A root resource at the
 * empty path would shadow [type] in RESTEasy, so {@link BaseRequestFilter} routes POST [base] here.
 */
@Path(BaseRequestFilter.BUNDLES)
@RequiresBearerToken
public class BaseResource {

    @EJB
    BundleProcessor processor;

    @EJB
    FhirRepository repository;

    @Inject
    Bundles bundles;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Bundle process(Resource resource) {
        if (!(resource instanceof Bundle bundle)) {
            throw new FhirException(400, IssueType.INVALID, "POST to the base takes a Bundle of type batch or transaction, not a " + resource.fhirType());
        }
        Bundle response = switch (bundle.getType()) {
            case TRANSACTION -> processor.transaction(bundle, this::get);
            case BATCH -> processor.batch(bundle, this::get);
            default -> throw new FhirException(400, IssueType.INVALID, "POST to the base takes a Bundle of type batch or transaction, not "
                    + (bundle.hasType() ? bundle.getType().toCode() : "one without a type"));
        };
        if (FhirResponses.minimal(headers.getHeaderString("Prefer"))) {
            // as for a single create or update (R4 http.html#ops): each entry's status, location and ETag, not the
            // resource written, which a loader of thousands of entries already has (the answers of reads and searches stay)
            for (Bundle.BundleEntryComponent entry : response.getEntry()) {
                if (entry.getResponse().hasLocation()) {
                    entry.setResource(null);
                }
            }
        }
        return response;
    }

    /** An entry's GET: Type?params is a search, Type/id a read, Type/id/_history/v a vread. */
    private Resource get(String url) {
        String[] parts = url.split("\\?", 2);
        String[] path = parts[0].split("/");
        String type = TypeResource.known(path[0]);
        if (path.length == 1) {
            return bundles.search(type, parts.length > 1 ? Fhir.parseQuery(parts[1]) : java.util.Map.of(), headers).toBundle();
        }
        if (path.length == 4 && "_history".equals(path[2])) {
            return repository.vread(type, path[1], path[3]);
        }
        return repository.read(type, path[1]);
    }
}
