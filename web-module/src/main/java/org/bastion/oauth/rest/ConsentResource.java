package org.bastion.oauth.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.bastion.oauth.application.AuthorizationFlow;
import org.bastion.oauth.rest.pages.ConsentPage;
import org.bastion.oauth.rest.pages.Message;
import org.bastion.oauth.rest.pages.Pages;
import org.bastion.oauth.rest.pages.ScopeChoice;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The consent page: the user allows the client some or all of the scopes it asked for. */
@Path("consent")
public class ConsentResource {

    @EJB
    AuthorizationFlow flow;

    @Inject
    FlowSteps steps;

    @Inject
    Pages pages;

    @Inject
    ScopeDescriptions descriptions;

    @Inject
    PatientPicker patients;

    @Context
    HttpHeaders headers;

    @Inject
    org.bastion.audit.rest.AuditNote audit;

    @GET
    public Response page(@QueryParam("request") String requestId, @QueryParam("patient_q") String patientQuery) {
        Optional<AuthorizationFlow.Request> request = flow.find(requestId).filter(r -> r.pending().userId() != null);
        if (request.isEmpty()) {
            return expired();
        }
        return show(request.get(), patientQuery, null, 200);
    }

    private Response show(AuthorizationFlow.Request r, String patientQuery, Message error, int status) {
        Locale locale = steps.locale(r.uiLocales(), headers);
        List<ScopeChoice> choices = r.scopes().stream()
                .map(scope -> new ScopeChoice(scope, descriptions.describe(scope, locale), true))
                .toList();
        ConsentPage.PatientPicker picker = AuthorizationFlow.needsPatientPicker(r) ? patients.picker(patientQuery, r.pending().userId()) : null;
        ConsentPage page = new ConsentPage(steps.action("consent"), r.pending().id(), r.pending().csrf(), r.client().name(),
                flow.username(r.pending().userId()), choices, picker, error, r.client().selfRegistered()
                && r.client().approvedGrantTypes().isEmpty() && r.client().approvedScope().isEmpty(), host(r.redirectUri()));
        return PageResponses.html(status, pages.consent(locale, page), pages).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(MultivaluedMap<String, String> form) {
        Optional<AuthorizationFlow.Request> found = flow.find(form.getFirst("request")).filter(r -> r.pending().userId() != null);
        if (found.isEmpty()) {
            return expired();
        }
        AuthorizationFlow.Request request = found.get();
        if (!FormGuard.genuine(form.getFirst("csrf"), request, headers)) {
            return steps.error(403, new Message("error.csrf"), steps.locale(request.uiLocales(), headers)).build();
        }
        boolean approved = "approve".equals(form.getFirst("decision"));
        List<String> ticked = form.get("scope");
        Set<String> scopes = ticked == null ? Set.of() : new HashSet<>(ticked);
        String patient = form.getFirst("patient");
        if (approved && AuthorizationFlow.needsPatientPicker(request) && scopes.contains("launch/patient") && !patients.chosen(patient, request.pending().userId())) {
            return show(request, form.getFirst("patient_q"), new Message("consent.patient.required"), 400);
        }
        audit.subject(request.pending().userId()).client(request.client().clientId())
                .detail(approved ? "approved " + String.join(" ", new java.util.TreeSet<>(scopes)) : "denied");
        return steps.respond(flow.consent(request, approved, scopes, patient), headers).build();
    }

    /** What the user can check of the redirect URI: its host (a custom-scheme URI has none: its scheme). */
    private static String host(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        return uri.getRawAuthority() != null ? uri.getRawAuthority() : uri.getScheme() + ":";
    }

    private Response expired() {
        return steps.error(400, new Message("error.request_expired"), steps.locale(null, headers)).build();
    }
}
