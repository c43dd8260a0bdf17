package org.bastion.oauth.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Set;

/**
 * /.well-known at the host root: RFC 8414 §3 puts an issuer's metadata at
 * /.well-known/oauth-authorization-server followed by the issuer's path.
 */
@ApplicationPath("/.well-known")
public class WellKnownApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(RootWellKnownResource.class, org.bastion.platform.rest.CorsFilter.class);
    }
}
