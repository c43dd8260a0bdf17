package org.bastion.audit.application;

import org.bastion.audit.domain.AuditRecord;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.nio.charset.StandardCharsets;
import java.util.Date;

/** An audit record as a FHIR R4 AuditEvent (DICOM audit event types, FHIR restful-interaction subtypes). */
public final class AuditEvents {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    /** The identifier system of a request id (the X-Request-Id header) in an AuditEvent's entity. */
    public static final String REQUEST_ID = "urn:bastion:request-id";
    private static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";

    private AuditEvents() {
    }

    public static AuditEvent toFhir(AuditRecord record) {
        AuditEvent event = new AuditEvent();
        event.setId(Long.toString(record.pk()));
        switch (record.category()) {
            case "token" -> event.setType(new Coding(DCM, "110114", "User Authentication"))
                    .addSubtype(new Coding("urn:ietf:rfc:6749", "token", "Token request"));
            case "admin" -> event.setType(new Coding(DCM, "110100", "Application Activity"))
                    .addSubtype(new Coding("urn:bastion:admin", record.action(), "Change through the admin API"));
            case "security" -> event.setType(new Coding(DCM, "110114", "User Authentication"))
                    .addSubtype(new Coding("urn:bastion:security", record.action(), record.action()));
            default -> event.setType(new Coding(EVENT_TYPE, "rest", "RESTful Operation"))
                    .addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", record.action(), record.action()));
        }
        event.setAction(action(record));
        event.setRecorded(Date.from(record.recorded()));
        int status = record.outcome();
        event.setOutcome(status < 400 ? AuditEvent.AuditEventOutcome._0 : status < 500 ? AuditEvent.AuditEventOutcome._4
                : AuditEvent.AuditEventOutcome._8);
        event.setOutcomeDesc(status + (record.detail() == null ? "" : " " + record.detail()));

        AuditEvent.AuditEventAgentComponent user = event.addAgent().setRequestor(true);
        user.setWho(new Reference().setIdentifier(new Identifier().setSystem(record.issuer()).setValue(record.subject()))
                .setDisplay(record.subject() == null ? "anonymous" : record.subject()));
        if (record.clientId() != null) {
            user.setAltId(record.clientId());
            event.addAgent().setRequestor(false).setWho(new Reference().setIdentifier(new Identifier().setValue(record.clientId()))
                    .setDisplay("client " + record.clientId()));
        }
        if (record.source() != null) {
            user.getNetwork().setAddress(record.source()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        event.getSource().setObserver(new Reference().setDisplay("Bastion")).setSite("Bastion");

        AuditEvent.AuditEventEntityComponent entity = event.addEntity();
        if (record.resourceType() != null) {
            entity.setWhat(new Reference(record.resourceType() + (record.resourceId() == null ? "" : "/" + record.resourceId())));
        }
        entity.setDescription(record.method() + " " + record.path());
        if (record.query() != null) {
            entity.setQuery(record.query().getBytes(StandardCharsets.UTF_8));
        }
        if (record.tokenId() != null) {
            // the access token the request carried or was given, by its jti
            event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:ietf:params:oauth:jti")
                    .setValue(record.tokenId()))).setDescription("access token");
        }
        if (record.requestId() != null) {
            // the X-Request-Id the response carried, also in the request's log lines
            event.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem(REQUEST_ID)
                    .setValue(record.requestId()))).setDescription("HTTP request");
        }
        return event;
    }

    private static AuditEvent.AuditEventAction action(AuditRecord record) {
        return switch (record.method()) {
            case "POST" -> record.action().equals("create") ? AuditEvent.AuditEventAction.C : AuditEvent.AuditEventAction.E;
            case "PUT", "PATCH" -> AuditEvent.AuditEventAction.U;
            case "DELETE" -> AuditEvent.AuditEventAction.D;
            default -> AuditEvent.AuditEventAction.R;
        };
    }
}
