package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * $validate (R4 resource-operation-validate): POST [base]/[type]/$validate with the resource (or a
 * Parameters with resource, mode and profile), GET or POST [base]/[type]/[id]/$validate. The answer
 * is 200 with an OperationOutcome of every issue (FHIRPath in expression and location); a profile
 * the server does not know is a 400.
 */
@Path("{type}/$validate")
@RequiresBearerToken
public class ValidateResource {

    @EJB
    FhirRepository repository;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
    public Response type(@PathParam("type") String type, Resource body) {
        return validate(repository, uriInfo, headers, type, null, body);
    }

    static Response validate(FhirRepository repository, UriInfo uriInfo, HttpHeaders headers, String type, String id, Resource body) {
        String known = TypeResource.known(type);
        List<String> profiles = new ArrayList<>(uriInfo.getQueryParameters().getOrDefault("profile", List.of()));
        String mode = uriInfo.getQueryParameters().getFirst("mode");
        Resource resource = body;
        if (body instanceof Parameters parameters && !"Parameters".equals(known)) {
            resource = null;
            for (Parameters.ParametersParameterComponent parameter : parameters.getParameter()) {
                switch (parameter.getName()) {
                    case "resource" -> resource = parameter.getResource();
                    case "mode" -> mode = primitive(parameter);
                    case "profile" -> profiles.add(primitive(parameter));
                    default -> throw new FhirException(400, IssueType.INVALID, "$validate has no parameter '" + parameter.getName()
                            + "': resource, mode and profile");
                }
            }
        }
        return Response.ok(repository.validate(known, id, resource, mode, profiles)).type(FhirMediaTypes.preferred(headers)).build();
    }

    private static String primitive(Parameters.ParametersParameterComponent parameter) {
        if (parameter.getValue() instanceof IPrimitiveType<?> value && value.getValueAsString() != null) {
            return value.getValueAsString();
        }
        throw new FhirException(400, IssueType.INVALID, "Parameter '" + parameter.getName() + "' needs a value (valueCode or valueUri)");
    }

    /** [base]/[type]/[id]/$validate: the stored resource (GET, or POST without a body), or the body as an update of it. */
    @Path("{type}/{id}/$validate")
    @RequiresBearerToken
    public static class Instance {

        @EJB
        FhirRepository repository;

        @Context
        UriInfo uriInfo;

        @Context
        HttpHeaders headers;

        @GET
        @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
        public Response stored(@PathParam("type") String type, @PathParam("id") String id) {
            return validate(repository, uriInfo, headers, type, id, null);
        }

        @POST
        @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
        public Response storedByPost(@PathParam("type") String type, @PathParam("id") String id) {
            return validate(repository, uriInfo, headers, type, id, null);
        }

        @POST
        @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
        @Produces({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML, MediaType.TEXT_XML})
        public Response instance(@PathParam("type") String type, @PathParam("id") String id, Resource body) {
            return validate(repository, uriInfo, headers, type, id, body);
        }
    }
}
