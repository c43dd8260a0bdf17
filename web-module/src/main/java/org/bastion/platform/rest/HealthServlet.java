package org.bastion.platform.rest;

import jakarta.ejb.EJB;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bastion.audit.application.AuditTrail;
import org.bastion.oauth.application.SigningKeys;
import org.bastion.platform.BastionDataSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Liveness and readiness in the MicroProfile Health JSON shape, on the application's own port so
 * a load balancer or an orchestrator reaches them where it reaches the server:
 * <ul>
 * <li>{@code /health/live}: the process can serve (no deadlocked threads). DOWN means restart it.
 * <li>{@code /health/ready}: it can serve requests correctly now: the database answers, a signing
 * key is there and usable, the audit trail takes records. DOWN means send traffic elsewhere.
 * <li>{@code /health/started} and {@code /health}: readiness, and everything.
 * </ul>
 * 200 when every check is UP, else 503. Public, like the servers' own health endpoints: the checks
 * say what is wrong in words, never a secret.
 */
@WebServlet(name = "Health", urlPatterns = {"/health", "/health/*"})
public class HealthServlet extends HttpServlet {

    private static final int DB_TIMEOUT_SECONDS = 3;

    @EJB
    SigningKeys signingKeys;

    @EJB
    AuditTrail auditTrail;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String which = request.getPathInfo() == null ? "" : request.getPathInfo();
        List<JsonObject> checks = new ArrayList<>();
        switch (which) {
            case "/live" -> checks.add(live());
            case "/ready", "/started" -> checks.addAll(ready());
            case "", "/" -> {
                checks.add(live());
                checks.addAll(ready());
            }
            default -> {
                response.setStatus(404);
                response.setContentType("application/json");
                response.getWriter().write(Json.createObjectBuilder().add("error", "not_found")
                        .add("error_description", "Health checks are at /health, /health/live, /health/ready and /health/started").build().toString());
                return;
            }
        }
        boolean up = checks.stream().allMatch(c -> "UP".equals(c.getString("status")));
        JsonArrayBuilder list = Json.createArrayBuilder();
        checks.forEach(list::add);
        response.setStatus(up ? 200 : 503);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", list).build().toString());
    }

    private static JsonObject live() {
        long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        return deadlocked == null ? check("threads", true, null, null)
                : check("threads", false, "reason", deadlocked.length + " threads are deadlocked (a thread dump shows which)");
    }

    private List<JsonObject> ready() {
        return List.of(database(), signingKey(), auditTrail());
    }

    /** The database answers a query; for PostgreSQL and H2, whether a commit is durable as configured. */
    private static JsonObject database() {
        long start = System.nanoTime();
        try (Connection connection = BastionDataSource.lookup().getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(DB_TIMEOUT_SECONDS);
            String product = connection.getMetaData().getDatabaseProductName();
            JsonObjectBuilder data = Json.createObjectBuilder().add("database", product);
            if (product.toLowerCase(Locale.ROOT).contains("postgres")) {
                data.add("synchronous_commit", show(statement, "show synchronous_commit")).add("fsync", show(statement, "show fsync"));
            } else {
                try (ResultSet rs = statement.executeQuery("select 1")) {
                    rs.next();
                }
            }
            data.add("latency_ms", (System.nanoTime() - start) / 1_000_000);
            return Json.createObjectBuilder().add("name", "database").add("status", "UP").add("data", data).build();
        } catch (SQLException | RuntimeException e) {
            return check("database", false, "reason", "the database does not answer: " + e.getMessage());
        }
    }

    private static String show(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "unknown";
        }
    }

    private JsonObject signingKey() {
        try {
            return check("signing-key", true, "kid", signingKeys.signingKey().getKeyID());
        } catch (RuntimeException e) {
            return check("signing-key", false, "reason", "no usable signing key: " + e.getMessage());
        }
    }

    private JsonObject auditTrail() {
        return auditTrail.unavailable().map(reason -> check("audit-trail", false, "reason", reason))
                .orElseGet(() -> check("audit-trail", true, "backlog", Integer.toString(auditTrail.backlog())));
    }

    private static JsonObject check(String name, boolean up, String key, String value) {
        JsonObjectBuilder check = Json.createObjectBuilder().add("name", name).add("status", up ? "UP" : "DOWN");
        if (key != null) {
            check.add("data", Json.createObjectBuilder().add(key, value));
        }
        return check.build();
    }
}
