package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.oauth.rest.pages.ConsentPage;
import org.bastion.smart.application.RequestAccess;
import org.bastion.identity.application.UserService;
import org.bastion.identity.domain.BastionUser;
import org.bastion.smart.domain.AccessPolicy;
import org.bastion.smart.domain.Reach;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The patient picker of a standalone launch: a name search over the Patients the signed-in user
 * reaches, through the same gate as every FHIR search (as the user, with user/Patient.rs). A
 * chosen patient outside that reach is refused like one that does not exist.
 */
@ApplicationScoped
public class PatientPicker {

    static final int SHOWN = 20;

    @EJB
    FhirRepository repository;

    @EJB
    UserService users;

    @jakarta.inject.Inject
    RequestAccess access;

    public ConsentPage.PatientPicker picker(String query, String userId) {
        String q = query == null ? "" : query.trim();
        Map<String, List<String>> params = q.isEmpty() ? Map.of() : Map.of("name", List.of(q.length() > 100 ? q.substring(0, 100) : q));
        List<ConsentPage.PatientChoice> choices = new ArrayList<>();
        access.set(asUser(userId));
        try {
            for (Resource resource : repository.search("Patient", params, 0, SHOWN, false).resources()) {
                choices.add(new ConsentPage.PatientChoice(resource.getIdElement().getIdPart(), label((Patient) resource)));
            }
        } catch (FhirException e) {
            // a user who reaches no patient is offered none
        }
        return new ConsentPage.PatientPicker(q, choices);
    }

    /** Whether the user may choose this patient: stored, and within their reach. */
    public boolean chosen(String id, String userId) {
        if (id == null || id.isBlank()) {
            return false;
        }
        try {
            access.set(asUser(userId));
            repository.read("Patient", id);
            return true;
        } catch (FhirException e) {
            return false;
        }
    }

    private AccessPolicy asUser(String userId) {
        Reach reach = users.find(userId).filter(BastionUser::enabled).map(users::reach).orElse(Reach.NOTHING);
        return AccessPolicy.of(List.of("user/Patient.rs"), null, reach);
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
