package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.bulk.BulkImports;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * [base]/$import: a bulk import's kick-off (after the Bulk Data import proposal: a Parameters
 * resource with inputFormat and inputs of a type and a url, Prefer: respond-async, 202 with the
 * status URL in Content-Location). The status URL is the export's ([base]/$bulk/ID).
 */
@Path("$import")
@RequiresBearerToken
public class ImportResource {

    @EJB
    BulkImports imports;

    @Inject
    BastionSettings settings;

    @Context
    UriInfo uriInfo;

    @Context
    HttpHeaders headers;

    @Context
    SecurityContext security;

    @POST
    @Consumes({FhirMediaTypes.FHIR_JSON, FhirMediaTypes.FHIR_XML, MediaType.APPLICATION_JSON, MediaType.APPLICATION_XML})
    public Response kickOff(Resource body) {
        ExportKickOffs.respondAsync(headers, "Bulk import runs asynchronously: send the header Prefer: respond-async");
        if (!(body instanceof Parameters parameters)) {
            throw new FhirException(400, IssueType.INVALID, "An import kick-off carries a Parameters resource (inputFormat, input with type"
                    + " and url), not a " + (body == null ? "empty body" : body.fhirType()));
        }
        String format = null;
        List<BulkImports.Input> inputs = new ArrayList<>();
        for (Parameters.ParametersParameterComponent parameter : parameters.getParameter()) {
            switch (parameter.getName()) {
                case "inputFormat" -> format = text(parameter);
                case "input" -> {
                    String type = null;
                    String url = null;
                    for (Parameters.ParametersParameterComponent part : parameter.getPart()) {
                        if (part.getName().equals("type")) {
                            type = text(part);
                        } else if (part.getName().equals("url")) {
                            url = text(part);
                        }
                    }
                    inputs.add(new BulkImports.Input(type, url));
                }
                case "inputSource", "storageDetail" -> {
                    // where the client's files came from, and how to fetch them: Bastion reads only uploads and its import folder
                }
                default -> throw new FhirException(400, IssueType.NOTSUPPORTED, "Import parameter '" + parameter.getName()
                        + "' is not supported; the parameters are inputFormat and input (parts type, url)");
            }
        }
        String id = imports.kickOff(ExportKickOffs.requester(security), format, inputs,
                settings.fhirBase() + "/$import");
        return Response.accepted().header("Content-Location", settings.fhirBase() + "/" + BulkStatusResource.PATH + "/" + id).build();
    }

    private static String text(Parameters.ParametersParameterComponent parameter) {
        return parameter.getValue() instanceof IPrimitiveType<?> primitive ? primitive.getValueAsString() : null;
    }
}
