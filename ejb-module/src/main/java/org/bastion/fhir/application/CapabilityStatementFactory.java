package org.bastion.fhir.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.BastionVersion;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;

import java.util.Date;

/** The server's CapabilityStatement: only what this release implements. */
@ApplicationScoped
public class CapabilityStatementFactory {

    @Inject
    BastionSettings settings;

    private final Date started = new Date();

    public CapabilityStatement capabilityStatement() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(PublicationStatus.ACTIVE);
        cs.setDate(started);
        cs.setPublisher("Bastion");
        cs.setKind(CapabilityStatementKind.INSTANCE);
        cs.getSoftware().setName("Bastion").setVersion(BastionVersion.VALUE);
        cs.getImplementation().setDescription("Bastion FHIR R4 server").setUrl(settings.fhirBase());
        cs.setFhirVersion(FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.addFormat("application/fhir+xml");
        CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest().setMode(RestfulCapabilityMode.SERVER);
        CodeableConcept smart = new CodeableConcept();
        smart.addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                .setCode("SMART-on-FHIR");
        rest.getSecurity()
                .addService(smart)
                .setDescription("OAuth 2.0 bearer tokens issued by " + settings.issuer());
        return cs;
    }
}
