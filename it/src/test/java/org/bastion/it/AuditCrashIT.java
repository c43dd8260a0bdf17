package org.bastion.it;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acknowledged means recorded: concurrent FHIR requests, each naming a resource of its own, run
 * until the server is killed with SIGKILL in the middle of them; after a restart on the same data
 * the audit trail holds a record of every request that got an answer. Payara Micro with H2, port 8780.
 */
class AuditCrashIT {

    private static final int WRITERS = 6;
    private static final Duration LOAD = Duration.ofSeconds(6);

    private final PayaraMicroServer server = new PayaraMicroServer("audit-crash", 8780, true, Map.of());

    @Test
    void everyAnsweredRequestIsInTheAuditTrailAfterAKill() throws Exception {
        Path data = server.dataDir();
        if (Files.exists(data)) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        server.start();
        List<String> answered = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            String token = Tokens.sign(Tokens.claims(server.baseUrl()).build(), TestSigningKey.get());
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    Browser browser = new Browser();
                    for (int n = 0; running.get(); n++) {
                        String id = "crash-" + writer + "-" + n;
                        try {
                            HttpResponse<String> read = browser.get(server.baseUrl() + "/fhir/r4/Patient/" + id, "Authorization", "Bearer " + token);
                            if (read.statusCode() == 404) {
                                answered.add(id); // an answer the client got: its record must exist
                            }
                        } catch (RuntimeException killed) {
                            return;
                        }
                    }
                }));
            }
            Instant end = Instant.now().plus(LOAD);
            while (Instant.now().isBefore(end)) {
                Thread.sleep(100);
            }
            server.kill(); // while requests are in flight
            running.set(false);
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(answered.size() > 100, "the load ran: " + answered.size() + " answered requests");

        server.start();
        try {
            String admin = OAuthClientSupport.adminToken(server.baseUrl());
            Browser browser = new Browser();
            List<String> missing = new ArrayList<>();
            for (String id : List.copyOf(answered)) {
                HttpResponse<String> trail = browser.get(server.baseUrl() + "/admin/api/audit?resource=Patient/" + id + "&_count=1",
                        "Authorization", "Bearer " + admin);
                assertEquals(200, trail.statusCode(), trail.body());
                if (!trail.body().contains("\"Patient/" + id + "\"")) {
                    missing.add(id);
                }
            }
            assertEquals(List.of(), missing, "of " + answered.size() + " answered requests, these have no audit record after the kill");
        } finally {
            server.stop();
        }
    }
}
