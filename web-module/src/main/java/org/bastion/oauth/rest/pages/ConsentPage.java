package org.bastion.oauth.rest.pages;

import java.util.List;

/**
 * What the consent page shows.
 *
 * @param action     absolute URL the form posts to
 * @param requestId  the pending authorization request, posted back as {@code request}
 * @param csrf       the form token, posted back as {@code csrf}
 * @param clientName the application asking for access
 * @param username   the signed-in user
 * @param scopes     the permissions asked for, in display order
 * @param picker     the patient picker of a standalone launch asking for launch/patient; null when none
 * @param error      what to correct before deciding; null when nothing
 * @param unreviewed the client registered itself and no admin approved it: the user is told so
 * @param returnHost the host of the redirect URI the browser returns to; null when not shown
 */
public record ConsentPage(String action, String requestId, String csrf, String clientName, String username,
                          List<ScopeChoice> scopes, PatientPicker picker, Message error, boolean unreviewed, String returnHost) {

    public ConsentPage {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public ConsentPage(String action, String requestId, String csrf, String clientName, String username,
                       List<ScopeChoice> scopes, PatientPicker picker, Message error) {
        this(action, requestId, csrf, clientName, username, scopes, picker, error, false, null);
    }

    public ConsentPage(String action, String requestId, String csrf, String clientName, String username, List<ScopeChoice> scopes) {
        this(action, requestId, csrf, clientName, username, scopes, null, null);
    }

    /** Patients matching the search box (SMART standalone launch, launch/patient), posted back as {@code patient}. */
    public record PatientPicker(String query, List<PatientChoice> patients) {
        public PatientPicker {
            patients = patients == null ? List.of() : List.copyOf(patients);
        }
    }

    public record PatientChoice(String id, String label) {
    }
}
