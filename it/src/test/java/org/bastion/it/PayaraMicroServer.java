package org.bastion.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Payara WAR on a real Payara Micro process, configured by server-config/payara/bastion.asadmin
 * exactly as the README tells users to start it.
 */
public class PayaraMicroServer implements BeforeAllCallback, AfterAllCallback {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(240);

    private final String name;
    private final int port;
    private final boolean importTestKey;
    private final Map<String, String> settings;
    private Process process;
    private int starts;

    public PayaraMicroServer(String name, int port, boolean importTestKey) {
        this(name, port, importTestKey, Map.of());
    }

    /** settings: further BASTION_* environment variables. */
    public PayaraMicroServer(String name, int port, boolean importTestKey, Map<String, String> settings) {
        this.name = name;
        this.port = port;
        this.importTestKey = importTestKey;
        this.settings = settings;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public Path dataDir() {
        return workDir().resolve("data-" + name);
    }

    /** The log of the n-th start (1-based). */
    public Path log(int start) {
        return workDir().resolve("payara-" + name + "-" + start + ".log");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    public void start() throws IOException, InterruptedException {
        starts++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-jar", System.getProperty("payara.micro.jar"),
                "--nocluster", "--port", Integer.toString(port),
                "--rootdir", workDir().resolve("payara-root-" + name).toString(),
                "--prebootcommandfile", Path.of(System.getProperty("payara.asadmin.dir"), "preboot.asadmin").toString(),
                "--postbootcommandfile", Path.of(System.getProperty("payara.asadmin.dir"), "bastion.asadmin").toString(),
                "--deploy", System.getProperty("bastion.payara.war"), "--contextroot", "/"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(starts).toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BASTION_"));
        env.put("BASTION_BASE_URL", baseUrl());
        env.put("BASTION_DATA_DIR", dataDir().toString());
        if (importTestKey) {
            env.put("BASTION_SIGNING_KEY_FILE", System.getProperty("test.signing.key"));
            env.put("BASTION_ADMIN_PASSWORD", "it-admin-password");
        }
        env.putAll(settings);
        process = builder.start();
        awaitReady();
    }

    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** Ends the server as a crash would: SIGKILL, no shutdown hooks, nothing flushed. */
    public void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        process = null;
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with " + process.exitValue() + ":\n" + tail());
            }
            if (Http.bastionReady(baseUrl())) {
                return;
            }
            Thread.sleep(1000);
        }
        stop();
        throw new IllegalStateException("Payara Micro did not serve /fhir/r4/metadata within " + STARTUP_TIMEOUT + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log(starts));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static Path workDir() {
        return Path.of(System.getProperty("work.dir"));
    }
}
