package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.oauth.rest.pages.ConsentPage;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.domain.AccessPolicy;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The patient picker of a standalone launch: a name search over the FHIR repository's Patients. */
@ApplicationScoped
public class PatientPicker {

    static final int SHOWN = 20;

    @EJB
    FhirRepository repository;

    @jakarta.inject.Inject
    RequestAccess access;

    public ConsentPage.PatientPicker picker(String query) {
        String q = query == null ? "" : query.trim();
        Map<String, List<String>> params = q.isEmpty() ? Map.of() : Map.of("name", List.of(q.length() > 100 ? q.substring(0, 100) : q));
        List<ConsentPage.PatientChoice> choices = new ArrayList<>();
        // the signed-in user chooses the launch patient before any token exists: the server searches on its own behalf
        access.set(AccessPolicy.SYSTEM);
        for (Resource resource : repository.search("Patient", params, 0, SHOWN, false).resources()) {
            choices.add(new ConsentPage.PatientChoice(resource.getIdElement().getIdPart(), label((Patient) resource)));
        }
        return new ConsentPage.PatientPicker(q, choices);
    }

    public boolean exists(String id) {
        if (id == null || id.isBlank()) {
            return false;
        }
        try {
            access.set(AccessPolicy.SYSTEM);
            repository.read("Patient", id);
            return true;
        } catch (FhirException e) {
            return false;
        }
    }

    private static String label(Patient patient) {
        String name = patient.getName().stream().findFirst().map(PatientPicker::name).orElse("(no name)");
        return patient.hasBirthDate() ? name + " \u00b7 " + patient.getBirthDateElement().getValueAsString() : name;
    }

    private static String name(HumanName name) {
        if (name.hasText()) {
            return name.getText();
        }
        return (name.getGivenAsSingleString() + " " + (name.hasFamily() ? name.getFamily() : "")).trim();
    }
}
