package org.bastion.oauth.application;

/** A client's registration changed or went away: what was read of it before is stale. */
public record ClientChanged(String clientId) {
}
