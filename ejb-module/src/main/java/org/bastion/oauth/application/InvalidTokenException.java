package org.bastion.oauth.application;

/**
 * A bearer token the resource server refuses (RFC 6750 §3.1 error code invalid_token);
 * the message is the error_description a developer reads to fix the request.
 */
public class InvalidTokenException extends Exception {

    public InvalidTokenException(String description) {
        super(description);
    }
}
