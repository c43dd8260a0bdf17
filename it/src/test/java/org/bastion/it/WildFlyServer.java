package org.bastion.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The EAR on a WildFly process of its own, started with {@code standalone.sh} as an operator
 * starts it: the configuration written by server-config/wildfly/configure.sh, a server base
 * directory per node (configuration, deployments, data, logs), a port offset per node, and the
 * BASTION_* environment. Unlike the Arquillian-managed server, it can be killed with SIGKILL,
 * stopped with SIGTERM, and several can run at once on one database.
 */
public final class WildFlyServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

    private final String name;
    private final String config;
    private final int portOffset;
    private final Map<String, String> settings;
    private Process process;
    private int starts;

    /**
     * name: the node's name (its directory under target/, its transaction node id); config: the
     * server configuration (standalone-bastion.xml for H2, standalone-bastion-pg.xml for PostgreSQL);
     * settings: the BASTION_* environment.
     */
    public WildFlyServer(String name, String config, int portOffset, Map<String, String> settings) {
        this.name = name;
        this.config = config;
        this.portOffset = portOffset;
        this.settings = settings;
    }

    public int port() {
        return 8080 + portOffset;
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public Path baseDir() {
        return workDir().resolve("node-" + name);
    }

    /** The console output of the n-th start (1-based). */
    public Path log(int start) {
        return workDir().resolve("node-" + name + "-" + start + ".log");
    }

    /** Removes what an earlier run left: the node's directory (its H2 data too, when the data folder is below it). */
    public void clean() throws IOException {
        delete(baseDir());
    }

    /** Starts the server and waits until it is ready: the time that took. */
    public Duration start() throws IOException, InterruptedException {
        Instant begin = Instant.now();
        Path base = baseDir();
        if (!Files.exists(base.resolve("configuration"))) {
            copyTree(wildflyHome().resolve("standalone/configuration"), base.resolve("configuration"));
            Files.createDirectories(base.resolve("deployments"));
            Files.copy(Path.of(System.getProperty("bastion.ear")), base.resolve("deployments/bastion.ear"), StandardCopyOption.REPLACE_EXISTING);
        }
        starts++;
        List<String> command = new ArrayList<>(List.of("bash", wildflyHome().resolve("bin/standalone.sh").toString(),
                "-c", config,
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + portOffset,
                "-Djboss.node.name=" + name,
                "-Djboss.tx.node.id=" + name,
                "-Djavax.net.ssl.trustStore=" + workDir().resolve("test-tls-trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=changeit"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(starts).toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BASTION_") || k.equals("JAVA_OPTS"));
        env.put("BASTION_BASE_URL", baseUrl());
        env.put("BASTION_DATA_DIR", base.resolve("bastion-data").toString());
        env.putAll(settings);
        process = builder.start();
        awaitReady();
        return Duration.between(begin, Instant.now());
    }

    /** Ends the server as a crash would: SIGKILL of the JVM, no shutdown hooks, nothing flushed. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        for (ProcessHandle jvm : process.descendants().toList()) {
            jvm.destroyForcibly();
            jvm.onExit().join();
        }
        process.destroyForcibly().waitFor();
        process = null;
    }

    /** SIGTERM to the JVM, as an orchestrator stops a server; waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            kill();
        }
        process = null;
    }

    /** SIGTERM without waiting: a graceful shutdown begins while the caller's requests run. */
    public ProcessHandle terminate() {
        ProcessHandle jvm = process.descendants().findFirst().orElseThrow();
        jvm.destroy();
        return jvm;
    }

    /** Forgets a process that ended by itself (after {@link #terminate()}). */
    public void ended() throws InterruptedException {
        if (process != null) {
            process.waitFor(90, TimeUnit.SECONDS);
            process = null;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        Path marker = baseDir().resolve("deployments/bastion.ear.failed");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("WildFly " + name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            if (Files.exists(marker)) {
                kill();
                throw new IllegalStateException("The EAR failed to deploy on " + name + ": " + Files.readString(marker) + "\n" + tail());
            }
            if (Http.bastionReady(baseUrl())) {
                return;
            }
            Thread.sleep(250);
        }
        kill();
        throw new IllegalStateException("WildFly " + name + " was not ready within " + STARTUP_TIMEOUT + ":\n" + tail());
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log(starts));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static Path wildflyHome() {
        return Path.of(System.getProperty("wildfly.home"));
    }

    private static Path workDir() {
        return Path.of(System.getProperty("work.dir"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
