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

    public void set(AccessPolicy policy) {
        this.policy = policy;
    }

    public AccessPolicy policy() {
        return policy == null ? AccessPolicy.NOTHING : policy;
    }
}
