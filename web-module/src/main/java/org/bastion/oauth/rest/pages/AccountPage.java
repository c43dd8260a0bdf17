package org.bastion.oauth.rest.pages;

import java.time.Instant;
import java.util.List;

/**
 * What the account page ("My apps") shows a signed-in user.
 *
 * @param action    the account page's absolute URL: its forms post to {@code action/revoke}, sign-out to {@code logout}
 * @param logout    the sign-out endpoint's absolute URL
 * @param csrf      the form token, posted back as {@code csrf}
 * @param username  who is signed in
 * @param apps      the apps the user allowed, newest first
 * @param revoked   the name of the app whose access the user just revoked; may be null
 */
public record AccountPage(String action, String logout, String csrf, String username, List<App> apps, String revoked) {

    /** An app the user allowed: its client id and name, the scopes, the patient of its latest grant (may be null), when, and its last token (may be null). */
    public record App(String clientId, String name, List<String> scopes, String patient, Instant granted, Instant lastUsed) {
    }
}
