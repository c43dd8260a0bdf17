package org.bastion.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HAPI FHIR's generic client (a real FHIR client) against the repository: CRUD, search, paging, transactions. */
abstract class HapiClientContract {

    abstract String baseUrl();

    IGenericClient client() {
        FhirContext context = FhirContext.forR4Cached();
        context.getRestfulClientFactory().setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
        // HAPI's default read timeout (10 s) equals the server's wait for an audit record's commit: a busy build
        // machine's pause would fail a test of what the client does, which the other contracts wait out
        context.getRestfulClientFactory().setSocketTimeout(60_000);
        IGenericClient client = context.newRestfulGenericClient(baseUrl() + "/fhir/r4");
        client.registerInterceptor(new BearerTokenAuthInterceptor(Tokens.sign(Tokens.claims(baseUrl()).build(), TestSigningKey.get())));
        return client;
    }

    @Test
    void theGenericClientCreatesReadsUpdatesSearchesAndDeletes() {
        IGenericClient client = client();
        String family = "Hapi" + UUID.randomUUID().toString().substring(0, 8);
        Patient patient = new Patient();
        patient.addName().setFamily(family).addGiven("Client");
        MethodOutcome created = client.create().resource(patient).execute();
        assertTrue(created.getCreated());
        String id = created.getId().getIdPart();

        Patient read = client.read().resource(Patient.class).withId(id).execute();
        assertEquals(family, read.getNameFirstRep().getFamily());
        read.setActive(true);
        MethodOutcome updated = client.update().resource(read).execute();
        assertEquals("2", updated.getId().getVersionIdPart());
        Patient stale = read.copy();
        stale.getMeta().setVersionId("1");
        stale.setId(stale.getIdElement().withVersion("1"));
        assertThrows(PreconditionFailedException.class, () -> client.update().resource(stale).withId(stale.getIdElement()).execute());

        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("29463-7");
        observation.setSubject(new Reference("Patient/" + id));
        observation.setEffective(new DateTimeType("2024-05-01T08:00:00Z"));
        client.create().resource(observation).execute();

        Bundle found = client.search().forResource(Observation.class)
                .where(Observation.SUBJECT.hasId("Patient/" + id))
                .and(new TokenClientParam("code").exactly().systemAndCode("http://loinc.org", "29463-7"))
                .include(Observation.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class).execute();
        assertEquals(2, found.getEntry().size(), "the observation and its included patient");

        Bundle byName = client.search().forResource(Patient.class).where(Patient.FAMILY.matchesExactly().value(family))
                .returnBundle(Bundle.class).execute();
        assertEquals(1, byName.getEntry().size());

        Bundle history = client.history().onInstance("Patient/" + id).returnBundle(Bundle.class).execute();
        assertEquals(2, history.getEntry().size());

        client.delete().resourceById("Patient", id).execute();
        assertThrows(ResourceGoneException.class, () -> client.read().resource(Patient.class).withId(id).execute());
    }

    @Test
    void theGenericClientPagesAndSendsTransactions() {
        IGenericClient client = client();
        String family = "Page" + UUID.randomUUID().toString().substring(0, 8);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 7; i++) {
            Patient patient = new Patient();
            patient.addName().setFamily(family);
            transaction.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(patient)
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        }
        Bundle response = client.transaction().withBundle(transaction).execute();
        assertEquals(7, response.getEntry().size());

        Bundle page = client.search().forResource(Patient.class).where(Patient.FAMILY.matchesExactly().value(family))
                .count(3).returnBundle(Bundle.class).execute();
        int seen = page.getEntry().size();
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            page = client.loadPage().next(page).execute();
            seen += page.getEntry().size();
        }
        assertEquals(7, seen);

        CapabilityStatement metadata = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertEquals("4.0.1", metadata.getFhirVersion().toCode());
    }
}
