package org.bastion.identity.application;

/**
 * A user's standing changed (disabled, deleted, new password, roles or reach changed): what was
 * read of them before is stale; when {@code ended}, everything they hold ends now, and when
 * {@code deleted}, what other capabilities keep of them (consents) goes too.
 */
public record UserChanged(String userId, boolean ended, boolean deleted) {

    public static UserChanged changed(String userId, boolean ended) {
        return new UserChanged(userId, ended, false);
    }
}
