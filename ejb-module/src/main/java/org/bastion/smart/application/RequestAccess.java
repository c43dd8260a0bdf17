package org.bastion.smart.application;

import jakarta.enterprise.context.RequestScoped;
import org.bastion.smart.domain.AccessPolicy;


/**
 * The access policy of the request being served, set once its token is verified. Until then it
 * allows nothing, so a path that forgets to authenticate fails closed.
 */
@RequestScoped
public class RequestAccess {

    private AccessPolicy policy;
    private org.bastion.oauth.application.VerifiedAccessToken token;

    public void set(AccessPolicy policy) {
        this.policy = policy;
    }

    /** A request's policy and the verified token it comes from. */
    public void set(AccessPolicy policy, org.bastion.oauth.application.VerifiedAccessToken token) {
        this.policy = policy;
        this.token = token;
    }

    /** The request's verified token (an API key as the token of its client); empty for the server's own work. */
    public java.util.Optional<org.bastion.oauth.application.VerifiedAccessToken> token() {
        return java.util.Optional.ofNullable(token);
    }

    public AccessPolicy policy() {
        return policy == null ? AccessPolicy.NOTHING : policy;
    }
}
