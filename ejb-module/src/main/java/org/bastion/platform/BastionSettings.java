package org.bastion.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Start-up settings. Each is a MicroProfile Config property, so BASTION_BASE_URL in the
 * environment sets bastion.base.url (MicroProfile Config's environment-variable mapping).
 */
@ApplicationScoped
public class BastionSettings {

    @Inject
    Config config;

    /** Public base URL, as clients reach the server (behind a proxy: the proxy's URL). */
    public String baseUrl() {
        String url = config.getValue("bastion.base.url", String.class);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String issuer() {
        return baseUrl() + "/oauth2";
    }

    public String fhirBase() {
        return baseUrl() + "/fhir/r4";
    }

    public String bootstrapAdminUsername() {
        return config.getValue("bastion.admin.username", String.class);
    }

    public Optional<String> bootstrapAdminPassword() {
        return config.getOptionalValue("bastion.admin.password", String.class).filter(p -> !p.isBlank());
    }

    /** A JWK (or JWK set) file holding the private key to sign with, instead of generating one on first start. */
    public Optional<Path> signingKeyFile() {
        return config.getOptionalValue("bastion.signing.key.file", String.class)
                .filter(p -> !p.isBlank())
                .map(Path::of);
    }

    public boolean demo() {
        return config.getOptionalValue("bastion.demo", Boolean.class).orElse(false);
    }
}
