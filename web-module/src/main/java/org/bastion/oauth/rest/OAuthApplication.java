package org.bastion.oauth.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import org.bastion.platform.rest.CorsFilter;

import java.util.Set;

/** The authorization server, at /oauth2 (its issuer). */
@ApplicationPath("/oauth2")
public class OAuthApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(JwksResource.class, DiscoveryResource.class, AuthorizationResource.class, LoginResource.class,
                ConsentResource.class, LogoutResource.class, AccountResource.class, TokenResource.class, IntrospectionResource.class, SmartStyleResource.class,
                UserInfoResource.class, RegistrationResource.class, OAuthExceptionMapper.class, OAuthUnexpectedExceptionMapper.class,
                CorsFilter.class, org.bastion.audit.rest.OAuthAuditFilter.class);
    }
}
