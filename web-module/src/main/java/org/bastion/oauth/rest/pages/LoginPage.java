package org.bastion.oauth.rest.pages;

/**
 * What the sign-in page shows.
 *
 * @param action     absolute URL the form posts to
 * @param requestId  the pending authorization request, posted back as {@code request}
 * @param csrf       the form token, posted back as {@code csrf}
 * @param clientName the application the user is signing in to
 * @param username   pre-fills the username field; may be null
 * @param error      shown above the form; may be null
 */
public record LoginPage(String action, String requestId, String csrf, String clientName, String username,
                        Message error) {
}
