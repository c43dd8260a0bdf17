package org.bastion.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * The EAR on a real Payara Server 6 domain, configured by server-config/payara/*.asadmin as the
 * README tells users to: a fresh domain per server, started with the BASTION_* environment (the
 * server JVM inherits it from {@code asadmin start-domain}; Bastion and the pool's
 * {@code ${ENV=...}} read it at every start), then {@code add-library} of Hibernate ORM (Payara
 * ships EclipseLink and the EAR carries no Hibernate), the asadmin files in multimode, and
 * {@code deploy} of the EAR. The domain keeps the configuration and the deployment: later starts
 * only start it.
 *
 * <p>System properties: {@code payara.server.home} (an unpacked {@code payara6} folder),
 * {@code payara.server.libs} (a
 * folder of jars for {@code add-library}: Hibernate ORM and its dependencies),
 * {@code payara.asadmin.dir}, {@code bastion.ear}, {@code work.dir}, {@code test.signing.key}.
 *
 * <p>Ports: the domain's port base is {@code httpPort - 80}, so it takes ports from there to
 * {@code httpPort + 6}: admin {@code base+48}, https {@code base+81}, IIOP 37-39, Hazelcast 49 and
 * 59, OSGi shell 66, JMS 76, JMX 86, debug 09. Keep two servers' ranges apart.
 */
public class PayaraServer implements BeforeAllCallback, AfterAllCallback {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(300);
    private static final String DOMAIN = "bastion";

    private final String name;
    private final int port;
    private final boolean importTestKey;
    private final Map<String, String> settings;
    private final List<String> asadminFiles;
    private final List<Path> libraries;
    private int starts;
    private boolean running;
    private Thread shutdownHook;

    public PayaraServer(String name, int port, boolean importTestKey) {
        this(name, port, importTestKey, Map.of());
    }

    /** settings: further BASTION_* environment variables. H2, by bastion.asadmin. */
    public PayaraServer(String name, int port, boolean importTestKey, Map<String, String> settings) {
        this(name, port, importTestKey, settings, List.of("bastion.asadmin"), List.of());
    }

    /**
     * asadminFiles: names in payara.asadmin.dir, applied in this order with {@code multimode};
     * libraries: jars for {@code add-library} besides those of payara.server.libs (a JDBC driver).
     */
    public PayaraServer(String name, int port, boolean importTestKey, Map<String, String> settings,
                        List<String> asadminFiles, List<Path> libraries) {
        this.name = name;
        this.port = port;
        this.importTestKey = importTestKey;
        this.settings = settings;
        this.asadminFiles = asadminFiles;
        this.libraries = libraries;
    }

    /**
     * On PostgreSQL, by postgresql.asadmin and the driver that it/pom.xml copies next to the EAR;
     * settings must name BASTION_DB_URL, BASTION_DB_USER and BASTION_DB_PASSWORD.
     */
    public static PayaraServer postgresql(String name, int port, boolean importTestKey, Map<String, String> settings) {
        Path driver = Path.of(System.getProperty("bastion.ear")).resolveSibling("postgresql.jar");
        return new PayaraServer(name, port, importTestKey, settings, List.of("postgresql.asadmin"), List.of(driver));
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public int adminPort() {
        return port - 80 + 48;
    }

    public Path dataDir() {
        return workDir().resolve("data-" + name);
    }

    /** The folder that holds the domain (--domaindir). */
    public Path domainsDir() {
        return workDir().resolve("payara-server-" + name);
    }

    /** The server log of the n-th start (1-based); the first also holds the configuration and the deployment. */
    public Path log(int start) {
        return workDir().resolve("payara-server-" + name + "-" + start + ".log");
    }

    /** What the asadmin commands printed, all starts. */
    public Path asadminLog() {
        return workDir().resolve("payara-server-" + name + "-asadmin.log");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            stop();
        } finally {
            delete();
        }
    }

    /**
     * Starts the domain and waits until Bastion answers: the first start makes a fresh domain,
     * configures it and deploys the EAR; later ones start what is there. Returns the time it took.
     */
    public Duration start() throws IOException, InterruptedException {
        Instant begin = Instant.now();
        if (running) {
            throw new IllegalStateException("Payara Server " + name + " runs already");
        }
        boolean first = starts == 0;
        if (first) {
            createDomain();
        }
        starts++;
        logTo(log(starts));
        Map<String, String> env = new HashMap<>();
        env.put("BASTION_BASE_URL", baseUrl());
        env.put("BASTION_DATA_DIR", dataDir().toString());
        if (importTestKey) {
            TestSigningKey.get();
            env.put("BASTION_SIGNING_KEY_FILE", System.getProperty("test.signing.key"));
            env.put("BASTION_ADMIN_PASSWORD", "it-admin-password");
        }
        env.putAll(settings);
        watchForJvmExit();
        asadmin(env, "start-domain", "--domaindir", domainsDir().toString(), DOMAIN);
        running = true;
        if (first) {
            List<String> jars = new ArrayList<>();
            String libs = System.getProperty("payara.server.libs");
            if (libs != null && !libs.isBlank()) {
                try (Stream<Path> files = Files.walk(Path.of(libs))) {
                    files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(f -> jars.add(f.toString()));
                }
            }
            libraries.forEach(jar -> jars.add(jar.toString()));
            if (!jars.isEmpty()) {
                jars.add(0, "add-library");
                remote(jars.toArray(String[]::new));
            }
            for (String file : asadminFiles) {
                remote("multimode", "--file", Path.of(System.getProperty("payara.asadmin.dir"), file).toString());
            }
            // no --contextroot: the EAR's application.xml maps the web module to /
            remote("deploy", "--name", "bastion", System.getProperty("bastion.ear"));
        }
        awaitReady();
        return Duration.between(begin, Instant.now());
    }

    /** asadmin stop-domain: a graceful shutdown; SIGKILL if the JVM outlives it. */
    public void stop() throws IOException, InterruptedException {
        if (!running) {
            return;
        }
        try {
            asadmin(Map.of(), "stop-domain", "--domaindir", domainsDir().toString(), DOMAIN);
        } finally {
            serverJvm().ifPresent(jvm -> {
                jvm.onExit().completeOnTimeout(jvm, 60, TimeUnit.SECONDS).join();
                if (jvm.isAlive()) {
                    jvm.destroyForcibly();
                    jvm.onExit().join();
                }
            });
            running = false;
        }
    }

    /** Ends the server as a crash would: SIGKILL of the server JVM, no shutdown hooks, nothing flushed. */
    public void kill() {
        serverJvm().ifPresent(jvm -> {
            jvm.destroyForcibly();
            jvm.onExit().join();
        });
        running = false;
    }

    /** Removes the domain (not the data folder); the next start makes a fresh one. */
    public void delete() throws IOException {
        kill();
        WildFlyServer.delete(domainsDir());
        starts = 0;
    }

    /** The server JVM (a daemon: asadmin start-domain returns once it runs), by the domain's pid file. */
    public Optional<ProcessHandle> serverJvm() {
        Path pidFile = domainsDir().resolve(DOMAIN).resolve("config/pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            String domainDir = domainsDir().toString();
            // the pid of a JVM that ended may belong to another process by now
            return ProcessHandle.of(pid).filter(p -> p.info().commandLine().map(c -> c.contains(domainDir)).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void createDomain() throws IOException, InterruptedException {
        delete(); // a server an earlier run left running (killed with its test JVM) and its domain
        Files.createDirectories(domainsDir());
        Files.deleteIfExists(asadminLog());
        asadmin(Map.of(), "create-domain", "--domaindir", domainsDir().toString(), "--portbase", Integer.toString(port - 80),
                "--nopassword=true", DOMAIN);
        Path config = domainsDir().resolve(DOMAIN).resolve("config");
        // as much heap as the other servers under test get (the template's default is 512 MB)
        Path domainXml = config.resolve("domain.xml");
        Files.writeString(domainXml, Files.readString(domainXml).replace("<jvm-options>-Xmx512m</jvm-options>", "<jvm-options>-Xmx1g</jvm-options>"));
        // trust the certificate of the tests' local https listener (it/pom.xml, test-tls-key)
        Path certificate = workDir().resolve("test-tls.cer");
        if (Files.exists(certificate)) {
            run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "bastion-it", "-file", certificate.toString(), "-keystore", config.resolve("cacerts.p12").toString(),
                    "-storetype", "PKCS12", "-storepass", "changeit"), Map.of());
        }
    }

    /** Each start logs to a file of its own, never rotated. */
    private void logTo(Path log) throws IOException {
        Files.deleteIfExists(log);
        Path properties = domainsDir().resolve(DOMAIN).resolve("config/logging.properties");
        String text = Files.readString(properties)
                .replaceAll("(?m)^com\\.sun\\.enterprise\\.server\\.logging\\.GFFileHandler\\.file=.*$",
                        Matcher.quoteReplacement("com.sun.enterprise.server.logging.GFFileHandler.file=" + log.toString().replace('\\', '/')))
                .replaceAll("(?m)^com\\.sun\\.enterprise\\.server\\.logging\\.GFFileHandler\\.rotationLimitInBytes=.*$",
                        "com.sun.enterprise.server.logging.GFFileHandler.rotationLimitInBytes=0");
        Files.writeString(properties, text);
    }

    /** A server left running ends with the test JVM, not holding its ports for the next run. */
    private void watchForJvmExit() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::kill, "payara-server-" + name + "-kill");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (serverJvm().isEmpty()) {
                running = false;
                throw new IllegalStateException("Payara Server " + name + " exited:\n" + tail());
            }
            if (Http.bastionReady(baseUrl())) {
                return;
            }
            Thread.sleep(500);
        }
        kill();
        throw new IllegalStateException("Payara Server " + name + " did not serve /fhir/r4/metadata within " + STARTUP_TIMEOUT + ":\n" + tail());
    }

    /** A command for the running domain, on its admin port. */
    private String remote(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--port", Integer.toString(adminPort())));
        command.addAll(List.of(args));
        return asadmin(Map.of(), command.toArray(String[]::new));
    }

    /** asadmin (the CLI jar, on this JVM's java) with env as the only BASTION_* environment; fails the test if it fails. */
    private String asadmin(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+IgnoreUnrecognizedVMOptions", "-jar", payaraHome().resolve("glassfish/lib/client/appserver-cli.jar").toString(),
                "--interactive=false"));
        command.addAll(List.of(args));
        return run(command, env);
    }

    private String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Files.createDirectories(workDir());
        // a file, not a pipe: the daemon server JVM that start-domain leaves may hold the output open
        Path output = Files.createTempFile(workDir(), "payara-server-" + name + "-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("BASTION_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            boolean ended = process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            String printed = Files.readString(output);
            String shown = String.join(" ", command.subList(command.indexOf("--interactive=false") + 1, command.size()));
            Files.writeString(asadminLog(), "$ " + shown + "\n" + printed + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (!ended || process.exitValue() != 0) {
                throw new IllegalStateException((ended ? "failed: " : "timed out after " + COMMAND_TIMEOUT + ": ") + shown + "\n" + printed
                        + (running ? "\nserver log:\n" + tail() : ""));
            }
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String tail() throws IOException {
        if (!Files.exists(log(starts))) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log(starts));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    /** payara.server.home: the unpacked distribution (it/pom.xml provisions target/payara6). */
    private static Path payaraHome() {
        return Path.of(System.getProperty("payara.server.home"));
    }

    private static Path workDir() {
        return Path.of(System.getProperty("work.dir"));
    }
}
