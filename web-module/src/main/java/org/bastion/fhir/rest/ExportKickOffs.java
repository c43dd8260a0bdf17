package org.bastion.fhir.rest;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.bulk.BulkExports;
import org.bastion.fhir.bulk.ExportRequest;
import org.bastion.oauth.application.VerifiedAccessToken;
import org.bastion.platform.BastionSettings;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kick-off of a bulk export (Bulk Data IG 2.0 §kick-off), shared by its three levels: GET with
 * query parameters or POST with a Parameters resource, Prefer: respond-async, answered 202 with the
 * status URL in Content-Location.
 */
@RequestScoped
public class ExportKickOffs {

    @EJB
    BulkExports exports;

    @Inject
    BastionSettings settings;

    Response kickOff(ExportRequest.Level level, String group, Resource body, UriInfo uriInfo, HttpHeaders headers, SecurityContext security) {
        String prefer = respondAsync(headers, "Bulk export runs asynchronously: send the header Prefer: respond-async"
                + " (FHIR Bulk Data Access, kick-off request)");
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        uriInfo.getQueryParameters().forEach((name, values) -> parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        parameters.remove("_format");
        if (body != null) {
            if (!(body instanceof Parameters p)) {
                throw new FhirException(400, IssueType.INVALID, "A POST kick-off carries a Parameters resource, not a " + body.fhirType());
            }
            flatten(p, parameters);
        } else if (parameters.containsKey("patient")) {
            throw new FhirException(400, IssueType.INVALID, "patient is a POST parameter (in a Parameters resource, as valueReference)");
        }
        String id = exports.kickOff(requester(security), new BulkExports.KickOff(level, group, parameters,
                prefer.contains("handling=lenient"), requestUrl(uriInfo)));
        return Response.accepted().header("Content-Location", settings.fhirBase() + "/" + BulkStatusResource.PATH + "/" + id).build();
    }

    /** The kick-off's URL as clients reach the server (BASTION_BASE_URL, as in the status URL), with the query as sent. */
    private String requestUrl(UriInfo uriInfo) {
        String path = uriInfo.getPath(false);
        String query = uriInfo.getRequestUri().getRawQuery();
        return settings.fhirBase() + (path.startsWith("/") ? "" : "/") + path + (query == null ? "" : "?" + query);
    }

    /** A bulk kick-off's Prefer header, lower case, once it asks for respond-async; else a 400 with the refusal given. */
    static String respondAsync(HttpHeaders headers, String refusal) {
        String prefer = String.join(",", headers.getRequestHeader("Prefer") == null ? List.of() : headers.getRequestHeader("Prefer"))
                .toLowerCase(Locale.ROOT);
        if (!prefer.contains("respond-async")) {
            throw new FhirException(400, IssueType.INVALID, refusal);
        }
        return prefer;
    }

    /** The requester of a bulk operation: the verified token's client, subject, issuer and scopes. */
    static BulkExports.Requester requester(SecurityContext security) {
        if (!(security.getUserPrincipal() instanceof VerifiedAccessToken token)) {
            throw new FhirException(403, IssueType.FORBIDDEN, "Bulk data needs an access token of a backend-service client"
                    + " (client_credentials with system/ scopes)");
        }
        return new BulkExports.Requester(token.clientId(), token.getSubject(), token.issuedHere(), token.scopes());
    }

    private static void flatten(Parameters body, Map<String, List<String>> parameters) {
        for (Parameters.ParametersParameterComponent parameter : body.getParameter()) {
            String value;
            if (parameter.getValue() instanceof Reference reference) {
                value = reference.getReference();
            } else if (parameter.getValue() instanceof IPrimitiveType<?> primitive) {
                value = primitive.getValueAsString();
            } else {
                throw new FhirException(400, IssueType.INVALID, "Parameter '" + parameter.getName() + "' needs a value[x] of a primitive type"
                        + " or, for patient, a valueReference");
            }
            parameters.computeIfAbsent(parameter.getName(), n -> new ArrayList<>()).add(value == null ? "" : value);
        }
    }
}
