package org.bastion.it;

import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.bastion.it.Browser.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledged means durable, tried the hard way: concurrent writers create, update (If-Match)
 * and delete Patients, post transaction Bundles, get and revoke tokens and create users through
 * the admin API, each remembering what the server acknowledged; one more writer keeps a large
 * transaction Bundle in flight. The server is killed with SIGKILL while that Bundle is being
 * processed, started again on the same data, and then every acknowledged write must be there,
 * every update at its last acknowledged version (or a later one, or deleted, by a request still in flight at the kill), and
 * every Bundle whole or not at all.
 */
final class CrashWorkload {

    /** A server that can be killed and started again on the same data. */
    interface Server {
        String baseUrl();

        void kill() throws Exception;

        /** Starts it and waits until it is ready: how long that took. */
        Duration start() throws Exception;
    }

    /** What a run measured. */
    record Result(int acknowledged, int patients, int updates, int deletes, int bundles, int tokens, int users,
                  int bundlesInFlight, Duration ready) {
        @Override
        public String toString() {
            return acknowledged + " acknowledged writes (" + patients + " creates, " + updates + " updates, " + deletes + " deletes, "
                    + bundles + " transaction Bundles, " + tokens + " tokens issued or revoked, " + users + " users); "
                    + bundlesInFlight + " Bundles in flight at the kill; ready " + ready.toMillis() + " ms after the restart began; lost 0, reverted 0";
        }
    }

    private static final int BUNDLE_OBSERVATIONS = 9;
    private static final int LARGE_BUNDLE = 600;

    private final Server server;
    /** The URL the server's issuer and console are configured with (a proxy's, in a cluster): where the admin signs in. */
    private final String publicBase;
    private final int writers;
    private final Duration load;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Patient id → the last acknowledged version and its marker; absent when its delete was acknowledged. */
    private final Map<String, Version> patients = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    /** Patients whose DELETE was sent and not answered: in flight at the kill, it may have committed. */
    private final Set<String> deleting = ConcurrentHashMap.newKeySet();
    private final AtomicInteger updates = new AtomicInteger();
    /** Bundle key → acknowledged (true) or sent without an answer (false). */
    private final Map<String, Boolean> bundles = new ConcurrentHashMap<>();
    private final Map<String, Integer> bundleSizes = new ConcurrentHashMap<>();
    private final Set<String> activeTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> revokedTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> users = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Instant> largeInFlightSince = new AtomicReference<>();
    /** How long the last large Bundle took: the kill comes halfway through the next one. */
    private volatile Duration largeTakes = Duration.ofMillis(400);

    private record Version(int version, String marker) {
    }

    /** The load's length: -Dcrash.seconds=N for a longer run than the build's. */
    static Duration load(Duration fallback) {
        String seconds = System.getProperty("crash.seconds");
        return seconds == null || seconds.isBlank() ? fallback : Duration.ofSeconds(Long.parseLong(seconds));
    }

    CrashWorkload(Server server, int writers, Duration load) {
        this(server, server.baseUrl(), writers, load);
    }

    CrashWorkload(Server server, String publicBase, int writers, Duration load) {
        this.server = server;
        this.publicBase = publicBase;
        this.writers = writers;
        this.load = load;
    }

    Result run() throws Exception {
        String base = server.baseUrl();
        String admin = OAuthClientSupport.adminToken(publicBase);
        HttpResponse<String> created = new Browser().postJson(base + "/admin/api/clients", "{\"client_name\":\"crash " + run + "\","
                        + "\"grant_types\":[\"client_credentials\"],\"token_endpoint_auth_method\":\"client_secret_basic\",\"scope\":\"system/*.*\"}",
                "Authorization", "Bearer " + admin);
        assertEquals(201, created.statusCode(), created.body());
        String basic = AdminApiContract.basic((String) json(created).get("client_id"), (String) json(created).get("client_secret"));
        String token = token(new Browser(), basic);

        // warm-up: the first requests of a fresh server load FHIR's definitions; the timed load starts after them
        Browser warm = new Browser();
        for (int i = 0; i < 5; i++) {
            warm.fhir(base + "/fhir/r4", token, "POST", "/Patient", patient(run + "-warm-" + i, "warm", "urn:crash-warm"));
        }
        bundle(warm, base + "/fhir/r4", token, run + "-warm", 50);

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            work.add(pool.submit(() -> write(writer, token, basic, admin, running)));
        }
        work.add(pool.submit(() -> largeBundles(token, running)));
        Instant end = Instant.now().plus(load);
        while (Instant.now().isBefore(end) || !largeBundleInFlightFor(largeTakes.dividedBy(2))) {
            assertTrue(Instant.now().isBefore(end.plus(Duration.ofMinutes(2))), "no large Bundle was in flight long enough to be cut");
            Thread.sleep(20);
        }
        server.kill();
        running.set(false);
        for (Future<?> writer : work) {
            writer.get();
        }
        pool.shutdown();
        int acknowledged = patients.size() + deleted.size() + updates.get() + deleted.size()
                + (int) bundles.values().stream().filter(b -> b).count() + activeTokens.size() + 2 * revokedTokens.size() + users.size();
        Duration ready = server.start();
        assertTrue(acknowledged > 100, "the load ran: " + acknowledged + " acknowledged writes: " + patients.size() + " patients, "
                + updates + " updates, " + bundles.size() + " bundles, " + activeTokens.size() + "+" + revokedTokens.size() + " tokens; a large Bundle took " + largeTakes);
        verify(basic);
        int inFlight = (int) bundles.values().stream().filter(b -> !b).count();
        return new Result(acknowledged, patients.size() + deleted.size(), updates.get(), deleted.size(),
                (int) bundles.values().stream().filter(b -> b).count(), activeTokens.size() + 2 * revokedTokens.size(), users.size(), inFlight, ready);
    }

    private boolean largeBundleInFlightFor(Duration time) {
        Instant since = largeInFlightSince.get();
        return since != null && since.plus(time).isBefore(Instant.now());
    }

    // --- the writers; a failed request (the kill) ends a writer ----------------------------

    private void write(int writer, String token, String basic, String admin, AtomicBoolean running) {
        Browser browser = new Browser();
        String fhir = server.baseUrl() + "/fhir/r4";
        List<String> mine = new ArrayList<>();
        try {
            for (int n = 0; running.get(); n++) {
                String key = run + "-" + writer + "-" + n;
                switch (n % 10) {
                    case 0, 1, 2, 3 -> {
                        HttpResponse<String> response = browser.fhir(fhir, token, "POST", "/Patient", patient(key, "v1", "urn:crash"));
                        if (response.statusCode() == 201) {
                            String id = (String) json(response).get("id");
                            patients.put(id, new Version(1, "v1"));
                            mine.add(id);
                        }
                    }
                    case 4, 5, 6 -> {
                        if (!mine.isEmpty()) {
                            String id = mine.get(n % mine.size());
                            Version last = patients.get(id);
                            String marker = "v" + (last.version() + 1);
                            String body = patient(key, marker, "urn:crash").replace("{\"resourceType\":\"Patient\",", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\",");
                            HttpResponse<String> response = send(browser, fhir, token, "PUT", "/Patient/" + id, body, "If-Match", "W/\"" + last.version() + "\"");
                            if (response.statusCode() == 200) {
                                patients.put(id, new Version(Integer.parseInt((String) ((JSONObject) json(response).get("meta")).get("versionId")), marker));
                                updates.incrementAndGet();
                            }
                        }
                    }
                    case 7 -> {
                        if (mine.size() > 3) {
                            String id = mine.remove(0);
                            deleting.add(id);
                            HttpResponse<String> response = browser.fhir(fhir, token, "DELETE", "/Patient/" + id, null);
                            if (response.statusCode() == 200 || response.statusCode() == 204) {
                                patients.remove(id);
                                deleted.add(id);
                            }
                            deleting.remove(id);
                        }
                    }
                    case 8 -> bundle(browser, fhir, token, key, BUNDLE_OBSERVATIONS);
                    default -> {
                        String issued = token(browser, basic);
                        if (n % 20 == 9) {
                            activeTokens.add(issued);
                        } else {
                            HttpResponse<String> revoked = browser.postForm(server.baseUrl() + "/oauth2/revoke", Browser.form("token", issued), "Authorization", basic);
                            if (revoked.statusCode() == 200) {
                                revokedTokens.add(issued);
                            }
                        }
                        if (n % 50 == 9) {
                            String name = "crash-" + key;
                            HttpResponse<String> user = browser.postJson(server.baseUrl() + "/admin/api/users", "{\"username\":\"" + name
                                    + "\",\"password\":\"correct horse battery\"}", "Authorization", "Bearer " + admin);
                            if (user.statusCode() == 201) {
                                users.add(name);
                            }
                        }
                    }
                }
            }
        } catch (IllegalStateException killed) {
            // the server is gone: what this writer had acknowledged is recorded
        }
    }

    private void largeBundles(String token, AtomicBoolean running) {
        Browser browser = new Browser();
        String fhir = server.baseUrl() + "/fhir/r4";
        try {
            for (int n = 0; running.get(); n++) {
                bundle(browser, fhir, token, run + "-large-" + n, LARGE_BUNDLE);
            }
        } catch (IllegalStateException killed) {
            // the kill came while this Bundle was in flight
        }
    }

    /** A transaction: one Patient and its Observations, all carrying the Bundle's key as an identifier. */
    private void bundle(Browser browser, String fhir, String token, String key, int observations) {
        StringBuilder entries = new StringBuilder();
        String patientUrn = "urn:uuid:" + UUID.randomUUID();
        entries.append("{\"fullUrl\":\"").append(patientUrn).append("\",\"resource\":").append(patient(key, "tx", "urn:crash-tx"))
                .append(",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
        for (int i = 0; i < observations; i++) {
            entries.append(",{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"identifier\":[{\"system\":\"urn:crash-tx\",\"value\":\"")
                    .append(key).append("\"}],\"code\":{\"text\":\"crash ").append(i).append("\"},\"subject\":{\"reference\":\"").append(patientUrn)
                    .append("\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        bundleSizes.put(key, observations + 1);
        bundles.put(key, false);
        boolean large = observations == LARGE_BUNDLE;
        if (large) {
            largeInFlightSince.set(Instant.now());
        }
        HttpResponse<String> response = browser.fhir(fhir, token, "POST", "",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + entries + "]}");
        if (large) {
            largeTakes = Duration.between(largeInFlightSince.getAndSet(null), Instant.now());
        }
        if (response.statusCode() == 200) {
            bundles.put(key, true);
        }
    }

    private static String patient(String key, String marker, String system) {
        return "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"" + key + "\"}],"
                + "\"name\":[{\"family\":\"Crash\",\"given\":[\"" + marker + "\"]}]}";
    }

    private String token(Browser browser, String basic) {
        HttpResponse<String> response = browser.postForm(server.baseUrl() + "/oauth2/token",
                Browser.form("grant_type", "client_credentials", "scope", "system/*.*"), "Authorization", basic);
        assertEquals(200, response.statusCode(), response.body());
        return (String) json(response).get("access_token");
    }

    private static HttpResponse<String> send(Browser browser, String fhir, String token, String method, String path, String body, String... headers) {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(fhir + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return browser.send(request.build());
    }

    // --- after the restart -------------------------------------------------------------------

    private void verify(String basic) {
        Browser browser = new Browser();
        String fhir = server.baseUrl() + "/fhir/r4";
        String token = token(browser, basic);
        List<String> lost = Collections.synchronizedList(new ArrayList<>());
        patients.entrySet().parallelStream().forEach(entry -> {
            HttpResponse<String> read = new Browser().fhir(fhir, token, "GET", "/Patient/" + entry.getKey(), null);
            Version acknowledged = entry.getValue();
            if (read.statusCode() == 410 && deleting.contains(entry.getKey())) {
                return; // its delete was in flight at the kill and committed: not acknowledged, not lost
            }
            if (read.statusCode() != 200) {
                lost.add("Patient/" + entry.getKey() + " acknowledged at version " + acknowledged.version() + " reads " + read.statusCode());
                return;
            }
            JSONObject patient = json(read);
            int version = Integer.parseInt((String) ((JSONObject) patient.get("meta")).get("versionId"));
            String marker = (String) ((JSONArray) ((JSONObject) ((JSONArray) patient.get("name")).get(0)).get("given")).get(0);
            // a later version is an update that was in flight at the kill and committed
            if (version < acknowledged.version() || version == acknowledged.version() && !marker.equals(acknowledged.marker())) {
                lost.add("Patient/" + entry.getKey() + " acknowledged at version " + acknowledged.version() + " (" + acknowledged.marker()
                        + ") reverted to version " + version + " (" + marker + ")");
            }
        });
        deleted.parallelStream().forEach(id -> {
            int status = new Browser().fhir(fhir, token, "GET", "/Patient/" + id, null).statusCode();
            if (status != 410) {
                lost.add("Patient/" + id + " deleted with an acknowledgement reads " + status);
            }
        });
        bundles.entrySet().parallelStream().forEach(entry -> {
            int found = count(fhir, token, "Patient", entry.getKey()) + count(fhir, token, "Observation", entry.getKey());
            int size = bundleSizes.get(entry.getKey());
            boolean acknowledged = entry.getValue();
            if (acknowledged ? found != size : found != 0 && found != size) {
                lost.add("transaction " + entry.getKey() + " of " + size + " resources, " + (acknowledged ? "acknowledged" : "in flight")
                        + ", left " + found);
            }
        });
        for (String issued : activeTokens) {
            if (!Boolean.TRUE.equals(introspect(browser, basic, issued).get("active"))) {
                lost.add("an issued token is not active after the restart");
            }
        }
        for (String revoked : revokedTokens) {
            if (!Boolean.FALSE.equals(introspect(browser, basic, revoked).get("active"))) {
                lost.add("a revoked token is active again after the restart");
            }
        }
        String admin = OAuthClientSupport.adminToken(publicBase);
        for (String user : users) {
            HttpResponse<String> found = browser.get(server.baseUrl() + "/admin/api/users?q=" + user, "Authorization", "Bearer " + admin);
            if (!found.body().contains("\"" + user + "\"")) {
                lost.add("user " + user + " created with an acknowledgement is gone");
            }
        }
        List<String> sample = new ArrayList<>(patients.keySet()).subList(0, Math.min(100, patients.size()));
        for (String id : sample) {
            HttpResponse<String> trail = browser.get(server.baseUrl() + "/admin/api/audit?resource=Patient/" + id + "&_count=1",
                    "Authorization", "Bearer " + admin);
            if (!trail.body().contains("\"Patient/" + id + "\"")) {
                lost.add("no audit record of the acknowledged create of Patient/" + id);
            }
        }
        assertEquals(List.of(), lost, "after the kill and restart");
    }

    private static int count(String fhir, String token, String type, String key) {
        HttpResponse<String> response = new Browser().fhir(fhir, token, "GET", "/" + type + "?identifier=urn:crash-tx|" + key + "&_summary=count", null);
        assertEquals(200, response.statusCode(), response.body());
        return ((Number) json(response).get("total")).intValue();
    }

    private JSONObject introspect(Browser browser, String basic, String token) {
        HttpResponse<String> response = browser.postForm(server.baseUrl() + "/oauth2/introspect", Browser.form("token", token), "Authorization", basic);
        assertEquals(200, response.statusCode(), response.body());
        return json(response);
    }
}
