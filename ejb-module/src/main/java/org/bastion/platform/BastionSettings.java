package org.bastion.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings. Each is a MicroProfile Config property, so BASTION_BASE_URL in the environment sets
 * bastion.base.url (MicroProfile Config's environment-variable mapping); some an admin may also
 * change at run time (admin API, SettingOverrides), which overrides the environment.
 */
@ApplicationScoped
public class BastionSettings {

    @Inject
    Config config;

    @Inject
    SettingOverrides overrides;

    /** A setting's value: an admin's run-time change, else the configuration (environment), else absent. */
    public Optional<String> value(String name) {
        Optional<String> changed = overrides.get(name);
        return changed.isPresent() ? changed : config.getOptionalValue(name, String.class);
    }

    /** Where a setting's value comes from: database (an admin's change), environment, or default. */
    public String source(String name) {
        if (overrides.get(name).isPresent()) {
            return "database";
        }
        return config.getOptionalValue(name, String.class).isPresent() ? "environment" : "default";
    }

    private long seconds(String name, long fallback) {
        return value(name).map(Long::parseLong).orElse(fallback);
    }

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

    /** JWS algorithm of issued tokens: RS256 (default), RS384, RS512 or ES256. */
    public String signingAlgorithm() {
        return value("bastion.signing.alg").orElse("RS256");
    }

    /** "open" lets anyone register a client (development, tests); otherwise an initial access token is needed. */
    public boolean registrationOpen() {
        return "open".equalsIgnoreCase(value("bastion.registration").orElse("token"));
    }

    public Duration accessTokenLifetime() {
        return Duration.ofSeconds(seconds("bastion.token.access.seconds", 3600L));
    }

    public Duration refreshTokenLifetime() {
        return Duration.ofSeconds(seconds("bastion.token.refresh.seconds", 30L * 86400));
    }

    public Duration codeLifetime() {
        return Duration.ofSeconds(seconds("bastion.token.code.seconds", 60L));
    }

    public Duration sessionLifetime() {
        return Duration.ofSeconds(seconds("bastion.session.seconds", 8L * 3600));
    }

    /**
     * Whether the FHIR API also takes the access token from an access_token query parameter
     * (RFC 6750 §2.3). Off by default: URLs land in server logs, proxies and browser history.
     */
    public boolean accessTokenQuery() {
        return value("bastion.access.token.query").map(Boolean::parseBoolean).orElse(false);
    }

    /** Whether FHIR and token requests are recorded in the audit trail (on unless BASTION_AUDIT=false, for measurements). */
    public boolean audit() {
        return config.getOptionalValue("bastion.audit", Boolean.class).orElse(true);
    }

    /**
     * BASTION_FHIR_SECURITY=off serves FHIR requests that carry no token as if they had
     * system/*.* (tokens that are sent are still verified and enforced). For measuring the cost
     * of security and for local experiments only: honoured only while the base URL is on loopback.
     */
    public boolean fhirSecurityOff() {
        boolean off = "off".equalsIgnoreCase(config.getOptionalValue("bastion.fhir.security", String.class).orElse("on"));
        return off && loopback();
    }

    private boolean loopback() {
        String host = java.net.URI.create(baseUrl()).getHost();
        return "localhost".equals(host) || "127.0.0.1".equals(host) || "[::1]".equals(host) || "::1".equals(host);
    }

    public boolean demo() {
        return config.getOptionalValue("bastion.demo", Boolean.class).orElse(false);
    }
}
