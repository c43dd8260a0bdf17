package org.bastion.oauth.rest.pages;

/**
 * An error shown to the user instead of being sent to the application (for example when the
 * redirect URI cannot be trusted).
 *
 * @param title  the heading
 * @param detail what went wrong; may be null
 */
public record ErrorPage(Message title, Message detail) {
}
