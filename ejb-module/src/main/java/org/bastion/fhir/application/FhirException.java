package org.bastion.fhir.application;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** A FHIR interaction that cannot be carried out; answered as an OperationOutcome with this status. */
@jakarta.ejb.ApplicationException(rollback = true)
public class FhirException extends RuntimeException {

    private final int status;
    private final IssueType issueType;

    public FhirException(int status, IssueType issueType, String diagnostics) {
        super(diagnostics);
        this.status = status;
        this.issueType = issueType;
    }

    public static FhirException unknownResourceType(String type) {
        return new FhirException(404, IssueType.NOTSUPPORTED, "Unknown resource type '" + type + "': not a FHIR R4 resource type");
    }

    public int status() {
        return status;
    }

    public IssueType issueType() {
        return issueType;
    }
}
