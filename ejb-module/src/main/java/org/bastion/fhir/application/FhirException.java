package org.bastion.fhir.application;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** A FHIR interaction that cannot be carried out; answered as an OperationOutcome with this status. */
@jakarta.ejb.ApplicationException(rollback = true)
public class FhirException extends RuntimeException {

    private final int status;
    private final IssueType issueType;
    private final transient org.hl7.fhir.r4.model.OperationOutcome outcome;

    public FhirException(int status, IssueType issueType, String diagnostics) {
        this(status, issueType, diagnostics, null);
    }

    /** A refusal whose answer is this OperationOutcome (the issues of a validation), not one issue with the diagnostics. */
    public FhirException(int status, IssueType issueType, String diagnostics, org.hl7.fhir.r4.model.OperationOutcome outcome) {
        super(diagnostics);
        this.status = status;
        this.issueType = issueType;
        this.outcome = outcome;
    }

    public static FhirException unknownResourceType(String type) {
        return new FhirException(404, IssueType.NOTSUPPORTED, "Unknown resource type '" + type + "': not a FHIR R4 resource type");
    }

    public int status() {
        return status;
    }

    /** The OperationOutcome to answer with, or null for one issue with the diagnostics. */
    public org.hl7.fhir.r4.model.OperationOutcome outcome() {
        return outcome;
    }

    public IssueType issueType() {
        return issueType;
    }
}
