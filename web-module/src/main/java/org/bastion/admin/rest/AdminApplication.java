package org.bastion.admin.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.bastion.platform.rest.CorsFilter;

import java.util.Set;

/** The admin REST API at /admin/api: every call needs a Bastion access token of a user with the admin role. */
@ApplicationPath("/admin/api")
public class AdminApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(AdminTokenFilter.class, UsersResource.class, KeysResource.class, LaunchesResource.class, InitialAccessTokensResource.class, ApiKeysResource.class, PackagesResource.class, ScopesResource.class, AuditResource.class, IssuersResource.class,
                ClientsResource.class, GrantsResource.class, SettingsResource.class, HousekeepingResource.class, SignInThrottlesResource.class, BulkJobsResource.class, AdminErrors.OAuthRefusal.class, AdminAuditFilter.class,
                AdminErrors.class, AdminErrors.InvalidJson.class, AdminErrors.HousekeepingRunning.class, AdminErrors.Unexpected.class, CorsFilter.class);
    }
}
