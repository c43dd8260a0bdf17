package org.bastion.oauth.rest.pages;

/**
 * One permission on the consent page.
 *
 * @param scope       the scope string, posted back as a {@code scope} value when ticked
 * @param description what the scope allows, in the user's language
 * @param checked     whether the box starts ticked
 */
public record ScopeChoice(String scope, String description, boolean checked) {
}
