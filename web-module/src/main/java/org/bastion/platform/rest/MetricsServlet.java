package org.bastion.platform.rest;

import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.bastion.audit.application.AuditTrail;
import org.bastion.platform.BastionSettings;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * This node's metrics in the Prometheus text format (version 0.0.4), for a scraper that sends
 * {@code Authorization: Bearer <BASTION_METRICS_TOKEN>}. Without that setting the endpoint is off:
 * request counts and timings are not for every client of a public server to read.
 * <p>
 * Series: requests, latency histograms, refusals and tokens (RequestMetrics); the audit trail's
 * backlog; the datasource pool (WildFly, from its datasource statistics); JVM heap, threads and
 * uptime.
 */
@WebServlet(name = "Metrics", urlPatterns = "/metrics")
public class MetricsServlet extends HttpServlet {

    /** WildFly's statistics of the Bastion datasource (statistics-enabled=true, server-config/wildfly). */
    private static final String WILDFLY_POOL = "jboss.as:subsystem=datasources,data-source=BastionDS,statistics=pool";
    private static final Map<String, String> POOL_STATES = Map.of("ActiveCount", "open", "InUseCount", "in_use",
            "AvailableCount", "available", "MaxUsedCount", "max_used");

    @Inject
    BastionSettings settings;

    @Inject
    RequestMetrics metrics;

    @EJB
    AuditTrail auditTrail;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> token = settings.metricsToken();
        if (token.isEmpty()) {
            refuse(response, 403, "metrics_disabled", "Metrics are off on this server: set BASTION_METRICS_TOKEN and send it as a bearer token", null);
            return;
        }
        String authorization = request.getHeader("Authorization");
        String offered = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
        if (!MessageDigest.isEqual(offered.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8))) {
            refuse(response, 401, "invalid_token", offered.isEmpty() ? "Send the metrics token (BASTION_METRICS_TOKEN) as a bearer token"
                    : "The bearer token is not this server's metrics token (BASTION_METRICS_TOKEN)", "Bearer realm=\"metrics\"");
            return;
        }
        StringBuilder out = new StringBuilder(16_384);
        metrics.write(out);
        RequestMetrics.family(out, "bastion_audit_backlog", "gauge", "Audit records waiting to be committed");
        out.append("bastion_audit_backlog ").append(auditTrail.backlog()).append('\n');
        RequestMetrics.family(out, "bastion_audit_available", "gauge", "1 when the audit trail takes records, 0 when requests are refused for it");
        out.append("bastion_audit_available ").append(auditTrail.unavailable().isPresent() ? 0 : 1).append('\n');
        pool(out);
        jvm(out);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(out.toString());
    }

    private static void pool(StringBuilder out) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(WILDFLY_POOL);
            if (!server.isRegistered(name)) {
                return;
            }
            RequestMetrics.family(out, "bastion_db_pool_connections", "gauge", "Connections of the datasource pool by state (WildFly)");
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                POOL_STATES.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(attribute.getName())).findFirst().ifPresent(state -> {
                    try {
                        Object value = server.getAttribute(name, attribute.getName());
                        RequestMetrics.sample(out, "bastion_db_pool_connections", "state", state.getValue(), null, null, Long.parseLong(String.valueOf(value)));
                    } catch (Exception | LinkageError unreadable) {
                        // a statistic the server does not keep now (statistics off): left out
                    }
                });
            }
        } catch (Exception unavailable) {
            // not WildFly, or its management model is not reachable: no pool series
        }
    }

    private static void jvm(StringBuilder out) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        RequestMetrics.family(out, "jvm_memory_heap_bytes", "gauge", "JVM heap: used, committed, max");
        gauge(out, "jvm_memory_heap_bytes", "used", heap.getUsed());
        gauge(out, "jvm_memory_heap_bytes", "committed", heap.getCommitted());
        gauge(out, "jvm_memory_heap_bytes", "max", heap.getMax());
        RequestMetrics.family(out, "jvm_threads_live", "gauge", "Live JVM threads");
        out.append("jvm_threads_live ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
        RequestMetrics.family(out, "process_uptime_seconds", "gauge", "Seconds since the JVM started");
        out.append("process_uptime_seconds ").append(ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String area, long value) {
        RequestMetrics.sample(out, name, "area", area.toLowerCase(Locale.ROOT), null, null, value);
    }

    private static void refuse(HttpServletResponse response, int status, String error, String description, String challenge) throws IOException {
        response.setStatus(status);
        if (challenge != null) {
            response.setHeader("WWW-Authenticate", challenge);
        }
        response.setContentType("application/json");
        response.getWriter().write(Json.createObjectBuilder().add("error", error).add("error_description", description).build().toString());
    }
}
