package org.bastion.fhir.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** Every FHIR error is an OperationOutcome whose diagnostics say what to change. */
final class OperationOutcomes {

    private OperationOutcomes() {
    }

    static Response.ResponseBuilder error(int status, IssueType type, String diagnostics, HttpHeaders headers) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
        org.bastion.platform.rest.RequestMetrics.noteRefusal(type.toCode());
        return Response.status(status).entity(outcome).type(FhirMediaTypes.preferred(headers));
    }
}
