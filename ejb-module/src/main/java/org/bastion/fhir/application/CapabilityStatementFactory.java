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

    private volatile CapabilityStatement cached;

    /** Built once: every resource type with its search parameters takes a while to list. */
    public CapabilityStatement capabilityStatement() {
        CapabilityStatement cs = cached;
        if (cs == null) {
            cs = build();
            cached = cs;
        }
        return cs;
    }

    private CapabilityStatement build() {
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
                .setDescription("OAuth 2.0 bearer tokens issued by " + settings.issuer() + " (SMART scopes), or of an external issuer an admin"
                        + " registered; when an admin has turned API keys on (setting api_keys), an API key an admin issued, in the header x-api-key");
        // SMART App Launch: the oauth-uris extension names the authorization server's endpoints.
        org.hl7.fhir.r4.model.Extension uris = rest.getSecurity().addExtension()
                .setUrl("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris");
        uris.addExtension("authorize", new org.hl7.fhir.r4.model.UriType(settings.issuer() + "/authorize"));
        uris.addExtension("token", new org.hl7.fhir.r4.model.UriType(settings.issuer() + "/token"));
        uris.addExtension("register", new org.hl7.fhir.r4.model.UriType(settings.issuer() + "/register"));
        uris.addExtension("introspect", new org.hl7.fhir.r4.model.UriType(settings.issuer() + "/introspect"));
        uris.addExtension("revoke", new org.hl7.fhir.r4.model.UriType(settings.issuer() + "/revoke"));
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.HISTORYSYSTEM);
        // FHIR Bulk Data Access 2.0: the system, patient and group level exports (docs/bulk-data.md)
        cs.addInstantiates(BULK + "CapabilityStatement/bulk-data");
        rest.addOperation().setName("export").setDefinition(BULK + "OperationDefinition/export");
        // $validate on every type and instance (docs/validation.md)
        rest.addOperation().setName("validate").setDefinition("http://hl7.org/fhir/OperationDefinition/Resource-validate");
        for (String type : new java.util.TreeSet<>(Fhir.r4().getResourceTypes())) {
            if (!type.equals(FhirRepository.AUDIT_EVENT)) {
                CapabilityStatement.CapabilityStatementRestResourceComponent resource = resource(type);
                if (type.equals("Patient")) {
                    resource.addOperation().setName("export").setDefinition(BULK + "OperationDefinition/patient-export");
                } else if (type.equals("Group")) {
                    resource.addOperation().setName("export").setDefinition(BULK + "OperationDefinition/group-export");
                } else if (type.equals(org.bastion.smart.domain.AccessPolicy.SUBSCRIPTION)) {
                    resource.setDocumentation("R4 rest-hook subscriptions (docs/subscriptions.md): for system/ scopes; criteria on one type,"
                            + " payload none or application/fhir+json, endpoints public https or on an origin an admin allowed");
                }
                rest.addResource(resource);
            }
        }
        return cs;
    }

    /** What works for one resource type: the interactions, and the search parameters the index supports. */
    private static CapabilityStatement.CapabilityStatementRestResourceComponent resource(String type) {
        CapabilityStatement.CapabilityStatementRestResourceComponent resource = new CapabilityStatement.CapabilityStatementRestResourceComponent();
        resource.setType(type)
                .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONED)
                .setReadHistory(true)
                .setUpdateCreate(true)
                .setConditionalCreate(true)
                .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
        for (CapabilityStatement.TypeRestfulInteraction interaction : INTERACTIONS) {
            resource.addInteraction().setCode(interaction);
        }
        resource.addSearchParam().setName("_id").setType(org.hl7.fhir.r4.model.Enumerations.SearchParamType.TOKEN);
        resource.addSearchParam().setName("_lastUpdated").setType(org.hl7.fhir.r4.model.Enumerations.SearchParamType.DATE);
        for (ca.uhn.fhir.context.RuntimeSearchParam param : Fhir.r4().getResourceDefinition(type).getSearchParams()) {
            boolean meta = java.util.Set.of("_tag", "_profile", "_security").contains(param.getName());
            if (param.getName().startsWith("_") && !meta || !org.bastion.fhir.search.SearchQuery.SUPPORTED.contains(param.getParamType())) {
                continue;
            }
            resource.addSearchParam().setName(param.getName()).setDocumentation(param.getDescription())
                    .setType(org.hl7.fhir.r4.model.Enumerations.SearchParamType.fromCode(param.getParamType().getCode()));
        }
        return resource;
    }

    private static final String BULK = "http://hl7.org/fhir/uv/bulkdata/";

    private static final java.util.List<CapabilityStatement.TypeRestfulInteraction> INTERACTIONS = java.util.List.of(
            CapabilityStatement.TypeRestfulInteraction.READ, CapabilityStatement.TypeRestfulInteraction.VREAD,
            CapabilityStatement.TypeRestfulInteraction.UPDATE, CapabilityStatement.TypeRestfulInteraction.DELETE,
            CapabilityStatement.TypeRestfulInteraction.HISTORYINSTANCE, CapabilityStatement.TypeRestfulInteraction.HISTORYTYPE,
            CapabilityStatement.TypeRestfulInteraction.CREATE, CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
}
