package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.client.RegistrationError;
import jakarta.ejb.ApplicationException;

/**
 * A refusal in the protocol's own terms: an RFC 6749 §5.2 (or RFC 7591 §3.2.2) error code, a
 * description a developer can act on, and the HTTP status. Not a system error: it does not
 * roll back what the refusal itself recorded (a replayed code revoking its tokens).
 */
@ApplicationException(rollback = false)
public class OAuthException extends Exception {

    private final transient ErrorObject error;

    public OAuthException(ErrorObject error, String description) {
        super(error.getCode() + ": " + description);
        this.error = error.setDescription(printable(description));
    }

    /** RFC 6749 §5.2: error_description is printable ASCII without '"' and '\\'. */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.replace("§", "section ").toCharArray()) {
            out.append(c == '"' ? '\'' : c == '\\' ? '/' : c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }

    public ErrorObject error() {
        return error;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(OAuth2Error.INVALID_REQUEST, description);
    }

    public static OAuthException invalidClient(String description) {
        return new OAuthException(OAuth2Error.INVALID_CLIENT, description);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException(OAuth2Error.INVALID_GRANT, description);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(OAuth2Error.UNAUTHORIZED_CLIENT, description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(OAuth2Error.INVALID_SCOPE, description);
    }

    public static OAuthException invalidToken(String description) {
        return new OAuthException(new ErrorObject("invalid_token", null, 401), description);
    }

    public static OAuthException invalidClientMetadata(String description) {
        return new OAuthException(RegistrationError.INVALID_CLIENT_METADATA, description);
    }

    public static OAuthException invalidRedirectUri(String description) {
        return new OAuthException(RegistrationError.INVALID_REDIRECT_URI, description);
    }
}
