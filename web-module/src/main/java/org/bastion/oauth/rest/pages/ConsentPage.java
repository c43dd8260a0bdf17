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
 */
public record ConsentPage(String action, String requestId, String csrf, String clientName, String username,
                          List<ScopeChoice> scopes) {

    public ConsentPage {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
