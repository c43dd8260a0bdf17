package org.bastion.it;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Keycloak on 127.0.0.1:8580 (unpacked from keycloak-quarkus-dist into keycloak.home), the
 * external OpenID Connect provider of the tests. Every start begins with an empty database and imports
 * the realm bastion-it from keycloak/bastion-it-realm.json; the server runs once per JVM and stops
 * when the JVM exits. Its output goes to work.dir/keycloak.log.
 */
public final class KeycloakServer implements BeforeAllCallback {

    /** Not 8480: KeyPersistenceIT's Payara Micro listens there while this server may still run. */
    static final int PORT = 8580;
    static final String REALM = "bastion-it";

    private static final String BASE_URL = "http://127.0.0.1:" + PORT;
    private static final String REALM_RESOURCE = "/keycloak/" + REALM + "-realm.json";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static volatile Process process;
    private static boolean shutdownHookAdded;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    /** Starts Keycloak unless it already runs in this JVM, and returns once the realm serves its discovery document. */
    public static synchronized void start() {
        if (process != null) {
            return;
        }
        if (portInUse()) {
            throw new IllegalStateException("Port " + PORT + " is already in use: a Keycloak left over from an earlier run (pgrep -f keycloak)?");
        }
        String keycloakHome = System.getProperty("keycloak.home");
        if (keycloakHome == null) {
            throw new IllegalStateException("System property keycloak.home is not set (it/pom.xml sets it for failsafe)");
        }
        Path home = Path.of(keycloakHome);
        try {
            prepare(home);
            // --hostname pins the issuer: without it Keycloak derives iss from each request's Host header.
            List<String> command = List.of("bash", home.resolve("bin").resolve("kc.sh").toString(), "start-dev",
                    "--http-host=127.0.0.1", "--http-port=" + PORT, "--hostname=" + BASE_URL, "--import-realm");
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(log().toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("JAVA_OPTS"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Keycloak from " + home, e);
        }
        if (!shutdownHookAdded) {
            // Not stop(): start() holds the lock for up to STARTUP_TIMEOUT while it waits.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> destroyTree(process), "keycloak-stop"));
            shutdownHookAdded = true;
        }
        awaitReady();
    }

    /** Stops Keycloak and every process kc.sh started (kc.sh may run java as its child). */
    public static synchronized void stop() {
        destroyTree(process);
        process = null;
    }

    private static void destroyTree(Process started) {
        if (started == null) {
            return;
        }
        ProcessHandle root = started.toHandle();
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                tree.forEach(ProcessHandle::destroyForcibly);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The iss of the realm's tokens (pinned by --hostname, whatever host name a client uses). */
    static String issuer() {
        return BASE_URL + "/realms/" + REALM;
    }

    static String discoveryUrl() {
        return issuer() + "/.well-known/openid-configuration";
    }

    static String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    /** An access token for a confidential client of the realm: the client credentials grant, client_secret_basic. */
    static String clientCredentialsToken(String clientId, String secret) {
        String credentials = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint())).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + tokenEndpoint() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token to " + clientId + ": " + response.statusCode() + " " + response.body());
        }
        try {
            return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "access_token");
        } catch (ParseException e) {
            throw new IllegalStateException("Keycloak's token response has no access_token: " + response.body(), e);
        }
    }

    /** An empty database, so the realm is imported from the current file (an existing realm would be kept as it is). */
    private static void prepare(Path home) throws IOException {
        Path database = home.resolve("data").resolve("h2");
        if (Files.exists(database)) {
            try (Stream<Path> files = Files.walk(database)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Path importDir = Files.createDirectories(home.resolve("data").resolve("import"));
        try (InputStream realm = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
            if (realm == null) {
                throw new IllegalStateException(REALM_RESOURCE + " is not on the test classpath");
            }
            Files.copy(realm, importDir.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void awaitReady() {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                stop();
                throw new IllegalStateException("Keycloak exited with " + exit + ", see " + log() + ":\n" + tail());
            }
            if (answersDiscovery()) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        stop();
        throw new IllegalStateException("Keycloak did not serve " + discoveryUrl() + " within " + STARTUP_TIMEOUT + ", see " + log() + ":\n" + tail());
    }

    private static boolean answersDiscovery() {
        try {
            return Http.get(discoveryUrl()).statusCode() == 200;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private static boolean portInUse() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT), 1000);
            return true;
        } catch (IOException free) {
            return false;
        }
    }

    private static String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log() + ": " + e + ")";
        }
    }

    private static Path log() {
        return Path.of(System.getProperty("work.dir"), "keycloak.log");
    }
}
