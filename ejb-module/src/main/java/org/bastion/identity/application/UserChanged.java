package org.bastion.identity.application;

/**
 * A user's standing changed (disabled, deleted, new password, roles or reach changed): what was
 * read of them before is stale and, when {@code ended}, everything they hold ends now.
 */
public record UserChanged(String userId, boolean ended) {
}
