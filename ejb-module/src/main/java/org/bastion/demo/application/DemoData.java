package org.bastion.demo.application;

import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.bastion.fhir.application.BundleProcessor;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.application.FhirRepository;
import org.bastion.identity.application.UserService;
import org.bastion.oauth.application.ClientRegistry;
import org.bastion.oauth.domain.ClientNames;
import org.bastion.platform.BastionSettings;
import org.bastion.smart.application.RequestAccess;
import org.bastion.smart.domain.AccessPolicy;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The demo data set that BASTION_DEMO=true loads: Synthea patients (bundles in demo/, made by
 * ejb-module/demo-data.sh), a practitioner and a patient who can sign in, and the clients of the
 * sample app and of Postman. Everything is loaded only where it is missing, so a restart, or a
 * second node, changes nothing.
 */
@Stateless
public class DemoData {

    public static final String PRACTITIONER_USER = "demo-practitioner";
    public static final String PATIENT_USER = "demo-patient";
    public static final String APP_CLIENT_ID = "patient-browser";
    public static final String POSTMAN_CLIENT_ID = "postman";
    /** Published in the getting-started guide: the demo is for trying Bastion out, never for real data. */
    public static final String POSTMAN_SECRET = "postman-demo-secret";
    static final String POSTMAN_CALLBACK = "https://oauth.pstmn.io/v1/callback";
    private static final String INDEX = "demo/bundles.txt";

    @EJB
    BundleProcessor bundles;

    @EJB
    FhirRepository repository;

    @EJB
    UserService users;

    @EJB
    ClientRegistry clients;

    @Inject
    RequestAccess access;

    @Inject
    BastionSettings settings;

    /** The bundles in load order: organizations and practitioners before the patients who refer to them. */
    public List<String> bundleNames() {
        try (InputStream in = resource(INDEX); BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads one bundle as a transaction, unless its first resource is there already; true when it was loaded now. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean load(String name) {
        access.set(AccessPolicy.SERVER);
        Bundle bundle = updatesById(read(name));
        Resource first = bundle.getEntryFirstRep().getResource();
        if (exists(first.fhirType(), first.getIdElement().getIdPart())) {
            return false;
        }
        bundles.transaction(bundle, url -> {
            throw new FhirException(400, IssueType.NOTSUPPORTED, "The demo bundles read nothing");
        });
        return true;
    }

    /** The demo users and clients, each created unless it exists; needs the patients loaded. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void ensureAccounts() {
        access.set(AccessPolicy.SERVER);
        String patient = demoPatientId();
        users.ensure(PATIENT_USER, PATIENT_USER.toCharArray(), "Patient/" + patient, Set.of("user"));
        // a clinician of the demo: an admin's grant gives them every patient (a Practitioner reaches nothing by itself)
        users.ensure(PRACTITIONER_USER, PRACTITIONER_USER.toCharArray(), "Practitioner/" + practitionerOf(patient), Set.of("user"))
                .patientGrant(true, Set.of());
        // the sample app's URLs follow the base URL, as the console's do
        OIDCClientMetadata app = metadata(ClientNames.SAMPLE_APP, ClientAuthenticationMethod.NONE,
                List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN), settings.baseUrl() + "/apps/patient-browser/",
                "openid fhirUser profile offline_access online_access launch launch/patient patient/*.rs user/*.rs");
        clients.ensureClient(APP_CLIENT_ID, app, null).update(app, Instant.now());
        clients.ensureClient(POSTMAN_CLIENT_ID, metadata(ClientNames.POSTMAN, ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS), POSTMAN_CALLBACK,
                "openid fhirUser profile offline_access launch/patient patient/*.cruds user/*.cruds system/*.cruds"), POSTMAN_SECRET);
    }

    /** The patient the demo-patient user is: the first patient bundle's. */
    String demoPatientId() {
        String name = bundleNames().stream().filter(n -> !n.startsWith("hospitalInformation") && !n.startsWith("practitionerInformation"))
                .findFirst().orElseThrow(() -> new IllegalStateException("No patient bundle in " + INDEX));
        return updatesById(read(name)).getEntry().stream().map(BundleEntryComponent::getResource)
                .filter(r -> r.fhirType().equals("Patient")).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " has no Patient")).getIdElement().getIdPart();
    }

    /** The practitioner of the patient's latest encounter, or any practitioner. */
    private String practitionerOf(String patient) {
        List<Resource> latest = repository.search("Encounter", Map.of("patient", List.of(patient), "_sort", List.of("-date")), 0, 1, false).resources();
        return latest.stream().flatMap(e -> ((Encounter) e).getParticipant().stream())
                .map(p -> p.getIndividual().getReference()).filter(r -> r != null && r.startsWith("Practitioner/"))
                .map(r -> r.substring("Practitioner/".length())).findFirst()
                .orElseGet(() -> repository.search("Practitioner", Map.of(), 0, 1, false).resources().get(0).getIdElement().getIdPart());
    }

    private boolean exists(String type, String id) {
        return !repository.search(type, Map.of("_id", List.of(id)), 0, 1, false).resources().isEmpty();
    }

    /**
     * Synthea creates with POST and urn:uuid full URLs; as updates by those ids the bundle always
     * makes the same resources, so loading it twice cannot duplicate anything.
     */
    static Bundle updatesById(Bundle bundle) {
        for (BundleEntryComponent entry : bundle.getEntry()) {
            String fullUrl = entry.getFullUrl();
            if (entry.getRequest().getMethod() == Bundle.HTTPVerb.POST && fullUrl != null && fullUrl.startsWith("urn:uuid:") && entry.hasResource()) {
                String id = fullUrl.substring("urn:uuid:".length());
                entry.getResource().setId(id);
                entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(entry.getResource().fhirType() + "/" + id).setIfNoneExist(null);
            }
        }
        return bundle;
    }

    private static Bundle read(String name) {
        try (InputStream in = new GZIPInputStream(resource("demo/" + name))) {
            return Fhir.r4().newJsonParser().parseResource(Bundle.class, in);
        } catch (IOException e) {
            throw new UncheckedIOException("Demo bundle " + name + " cannot be read", e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = DemoData.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("The demo data is missing from the deployment: " + path);
        }
        return in;
    }

    private static OIDCClientMetadata metadata(String name, ClientAuthenticationMethod auth, List<GrantType> grants, String redirect, String scope) {
        OIDCClientMetadata metadata = new OIDCClientMetadata();
        metadata.setName(name);
        metadata.setRedirectionURI(URI.create(redirect));
        metadata.setPostLogoutRedirectionURIs(Set.of(URI.create(redirect)));
        metadata.setTokenEndpointAuthMethod(auth);
        metadata.setGrantTypes(Set.copyOf(grants));
        metadata.setScope(Scope.parse(scope));
        metadata.applyDefaults();
        return metadata;
    }
}
