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

    /**
     * Origins (scheme://host:port) Bastion may fetch from although they are not public https
     * (OutboundFetcher): an internal identity provider, a test server. Empty by default.
     */
    public java.util.Set<String> outboundAllowedOrigins() {
        return OutboundFetcher.origins(value("bastion.outbound.allowed.origins").orElse(""));
    }

    private volatile org.bastion.fhir.domain.FhirLimits fhirLimits;

    /**
     * The limits of one FHIR request (FhirLimits): each BASTION_FHIR_MAX_… setting, else the default
     * for this heap. Read from the configuration once (they are not run-time settings).
     */
    public org.bastion.fhir.domain.FhirLimits fhirLimits() {
        if (fhirLimits == null) {
            org.bastion.fhir.domain.FhirLimits d = org.bastion.fhir.domain.FhirLimits.DEFAULT;
            fhirLimits = new org.bastion.fhir.domain.FhirLimits(limit("bastion.fhir.max.body.bytes", d.bodyBytes()),
                    limit("bastion.fhir.max.bundle.entries", d.bundleEntries()), limit("bastion.fhir.max.depth", d.depth()),
                    limit("bastion.fhir.max.or.values", d.orValues()), limit("bastion.fhir.max.chain.depth", d.chainDepth()),
                    limit("bastion.fhir.max.includes", d.includeSpecs()), limit("bastion.fhir.max.count", d.count()),
                    limit("bastion.fhir.max.offset", d.offset()));
        }
        return fhirLimits;
    }

    private int limit(String name, int fallback) {
        return config.getOptionalValue(name, Integer.class).filter(n -> n > 0).orElse(fallback);
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

    /**
     * BASTION_KEY_ENCRYPTION_KEY, the base64 of 32 random bytes: the key that seals the private
     * signing keys (KeyEncryption). Like the other key settings it is read from the configuration
     * only, never from SettingOverrides: the database must not hold the key to its own secrets.
     */
    public Optional<String> keyEncryptionKey() {
        return nonBlank("bastion.key.encryption.key");
    }

    /** BASTION_KEY_ENCRYPTION_KEY_FILE: a file holding that base64 text, instead of the value. */
    public Optional<Path> keyEncryptionKeyFile() {
        return nonBlank("bastion.key.encryption.key.file").map(Path::of);
    }

    /** BASTION_KEY_ENCRYPTION_KEY_PREVIOUS: the key being rotated away from; what it sealed is sealed again on start. */
    public Optional<String> previousKeyEncryptionKey() {
        return nonBlank("bastion.key.encryption.key.previous");
    }

    public Optional<Path> previousKeyEncryptionKeyFile() {
        return nonBlank("bastion.key.encryption.key.previous.file").map(Path::of);
    }

    /**
     * Where the key-encryption key is generated when none is configured: beside H2's files, in
     * BASTION_DATA_DIR, else WildFly's data directory (bastion.cli's default for H2), else ~/.bastion.
     */
    public Path generatedKeyEncryptionKeyFile() {
        return dataDirectory().resolve("key-encryption-key");
    }

    /** BASTION_DATA_DIR, else WildFly's data directory (bastion.cli's default for H2), else ~/.bastion. */
    public Path dataDirectory() {
        return nonBlank("bastion.data.dir").map(Path::of)
                .or(() -> Optional.ofNullable(System.getProperty("jboss.server.data.dir")).map(d -> Path.of(d, "bastion")))
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".bastion"));
    }

    /**
     * BASTION_BULK_DIR: where bulk export files are written and import files uploaded, default
     * "bulk" in the data folder. Several nodes on one database need one shared folder here, since
     * any node may serve a file and take over a job.
     */
    public Path bulkDirectory() {
        return nonBlank("bastion.bulk.dir").map(Path::of).orElseGet(() -> dataDirectory().resolve("bulk"));
    }

    /**
     * BASTION_IMPORT_DIR: a folder on the server whose files bulk imports may name (file:PATH), for
     * files too large to upload; absent (the default), imports read uploads only.
     */
    public Optional<Path> importDirectory() {
        return nonBlank("bastion.import.dir").map(Path::of);
    }

    /** BASTION_BULK_RETENTION_SECONDS: how long a finished bulk job's files are kept (default 24 hours). */
    public Duration bulkRetention() {
        return Duration.ofSeconds(seconds("bastion.bulk.retention.seconds", 24L * 3600));
    }

    /**
     * BASTION_BULK_LEASE_SECONDS: a running bulk job whose node has given no sign of life for this
     * long is taken over by another node, or by this one after a restart (default 60 seconds).
     */
    public Duration bulkLease() {
        return Duration.ofSeconds(seconds("bastion.bulk.lease.seconds", 60L));
    }

    /**
     * BASTION_SUBSCRIPTION_ATTEMPTS: how many times a notification is tried before its subscription
     * turns to error (default 8).
     */
    public int subscriptionAttempts() {
        return (int) Math.max(1, seconds("bastion.subscription.attempts", 8L));
    }

    /**
     * BASTION_SUBSCRIPTION_RETRY_SECONDS: the wait after a notification's first failed attempt,
     * doubled after each further one, at most an hour (default 5 seconds).
     */
    public Duration subscriptionRetry() {
        return Duration.ofSeconds(Math.max(1, seconds("bastion.subscription.retry.seconds", 5L)));
    }

    /**
     * BASTION_METRICS_TOKEN: the bearer token a metrics scraper sends to /metrics; without it the
     * endpoint is off. Configuration only, like the key settings.
     */
    public Optional<String> metricsToken() {
        return nonBlank("bastion.metrics.token");
    }

    private Optional<String> nonBlank(String name) {
        return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
    }
}
