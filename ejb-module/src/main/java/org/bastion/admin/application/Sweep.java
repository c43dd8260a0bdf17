package org.bastion.admin.application;

import java.time.Duration;

/**
 * What housekeeping deletes: the rows of a table whose time column is further in the past than
 * the sweep's grace period. Each grace period keeps a row for as long as it can still change an
 * answer the server gives.
 */
public enum Sweep {

    /** Pending /authorize requests live 10 minutes; an expired one is refused alike whether it is kept or not. */
    AUTHORIZATION_REQUEST("authorization_request", "id", "expires_at", Duration.ofHours(1)),

    /**
     * A code is used before it expires; kept an hour beyond, a code replayed late still revokes
     * the tokens it was exchanged for (RFC 6749 §4.1.2) instead of being refused as unknown.
     */
    AUTHORIZATION_CODE("authorization_code", "code_hash", "expires_at", Duration.ofHours(1)),

    /** EHR launch handles live 5 minutes and are used once. */
    LAUNCH_CONTEXT("launch_context", "handle", "expires_at", Duration.ofHours(1)),

    /** The record of an access token is listed until it expires; nothing else reads it. */
    ACCESS_TOKEN("access_token", "jti", "expires_at", Duration.ofMinutes(5)),

    /**
     * A revocation expires with the last token it can name, clock skew included (see
     * Revocations); the verifier then refuses that token by its exp already.
     */
    TOKEN_REVOCATION("token_revocation", "id", "expires_at", Duration.ofMinutes(5)),

    /** Used (rotated) refresh tokens expire with their grant; until then a reused one revokes it (RFC 9700 §4.14.2). */
    REFRESH_TOKEN_EXPIRED("refresh_token", "token_hash", "expires_at", Duration.ofDays(1)),

    /** A day after its revocation a refresh token is refused as unknown rather than as revoked; its grant is revoked already. */
    REFRESH_TOKEN_REVOKED("refresh_token", "token_hash", "revoked_at", Duration.ofDays(1)),

    /** Stored with the assertion's exp plus the verifier's clock skew: past that the assertion itself is refused (RFC 7523 §3). */
    USED_ASSERTION("used_assertion", "client_id, jti", "expires_at", Duration.ZERO),

    /** An expired sign-in session signs no one in. */
    LOGIN_SESSION("login_session", "id_hash", "expires_at", Duration.ZERO),

    /** Housekeeping's own record: a week of runs. */
    HOUSEKEEPING_RUN("housekeeping_run", "id", "started_at", Duration.ofDays(7));

    /** Rows a batch deletes at most: one short transaction, whatever the backlog. */
    public static final int BATCH = 5_000;

    private final String table;
    private final String key;
    private final String column;
    private final Duration grace;

    Sweep(String table, String key, String column, Duration grace) {
        this.table = table;
        this.key = key;
        this.column = column;
        this.grace = grace;
    }

    public String table() {
        return table;
    }

    public Duration grace() {
        return grace;
    }

    /**
     * One batch: the keys of at most {@link #BATCH} rows past the cut-off (found by the index on
     * the time column), then those rows. Standard SQL that H2 and PostgreSQL both run; the one
     * parameter is the cut-off.
     */
    String deleteBatch() {
        String keys = key.contains(",") ? "(" + key + ")" : key;
        return "delete from " + table + " where " + keys + " in (select " + key + " from " + table
                + " where " + column + " < ? fetch first " + BATCH + " rows only)";
    }
}
