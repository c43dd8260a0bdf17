package org.bastion.oauth.rest.pages;

/**
 * What the sign-out question shows, and what its form posts back to finish the client's request.
 *
 * @param action                absolute URL the form posts to
 * @param csrf                  the form token, posted back as {@code csrf}
 * @param clientId              the client that asked, posted back as {@code client_id}; may be null
 * @param clientName            its name, shown; null when no client was named
 * @param postLogoutRedirectUri where the client asked to return, posted back; may be null
 * @param state                 the client's state, posted back; may be null
 * @param uiLocales             the client's ui_locales, posted back; may be null
 */
public record LogoutPage(String action, String csrf, String clientId, String clientName, String postLogoutRedirectUri,
                         String state, String uiLocales) {
}
