package org.bastion.platform.rest;

import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;
import java.util.Set;

/** The security context of a request authenticated by a bearer token: who, and which roles. */
public record BearerSecurityContext(Principal principal, Set<String> roles, boolean secure) implements SecurityContext {

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
        return roles.contains(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return "Bearer";
    }
}
