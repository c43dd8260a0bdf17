package org.bastion.platform.rest;

import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.audit.rest.FhirAuditFilter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request metrics of this node, kept in memory since it started: requests by endpoint and
 * status, a latency histogram per endpoint, refusals by endpoint and reason, tokens issued by
 * grant type. Every label value comes from a closed set the server chooses (an endpoint is a
 * FHIR interaction or a named OAuth endpoint, never a path with an id in it; a reason is an OAuth
 * error code, a FHIR issue type or an HTTP status), so a client cannot grow the series without bound.
 */
@ApplicationScoped
public class RequestMetrics {

    /** Seconds; the upper bounds of the latency buckets (Prometheus' {@code le}). */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private static final Set<String> OAUTH_ENDPOINTS = Set.of("authorize", "token", "userinfo", "introspect", "revoke", "register",
            "logout", "jwks", "login", "consent", "account", "smart-style.json");
    private static final ThreadLocal<String> REFUSAL = new ThreadLocal<>();

    private final Map<List<String>, LongAdder> requests = new ConcurrentSkipListMap<>(RequestMetrics::compare);
    private final Map<String, Histogram> latency = new ConcurrentSkipListMap<>();
    private final Map<List<String>, LongAdder> refusals = new ConcurrentSkipListMap<>(RequestMetrics::compare);
    private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();

    /** One latency histogram: a count per bucket (not cumulative), the sum and the count. */
    static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final LongAdder count = new LongAdder();
        final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

        Histogram() {
            Arrays.setAll(buckets, i -> new LongAdder());
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sum.add(seconds);
        }
    }

    /**
     * Why the request the calling thread serves is refused (an OAuth error code, a FHIR issue
     * type), noted where the refusal is written; the request filter reads it when the response is done.
     */
    public static void noteRefusal(String reason) {
        REFUSAL.set(reason);
    }

    static String takeRefusal() {
        String reason = REFUSAL.get();
        REFUSAL.remove();
        return reason;
    }

    void observe(String endpoint, int status, long nanos, String refusal) {
        requests.computeIfAbsent(List.of(endpoint, Integer.toString(status)), k -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram()).observe(nanos / 1e9);
        if (status >= 400) {
            refusals.computeIfAbsent(List.of(endpoint, refusal == null ? "http_" + status : refusal), k -> new LongAdder()).increment();
        }
    }

    /** An access token was issued by the token endpoint with this grant type. */
    public void tokenIssued(String grantType) {
        tokens.computeIfAbsent(grantType == null ? "unknown" : grantType, k -> new LongAdder()).increment();
    }

    /**
     * The endpoint a request is, for labels: a FHIR interaction (R4 restful-interaction codes), an
     * OAuth endpoint by name, the admin API, the console, and so on.
     */
    static String endpoint(String method, String path) {
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        if (segments.isEmpty()) {
            return "other";
        }
        String second = segments.size() > 1 ? segments.get(1) : "";
        return switch (segments.get(0)) {
            case "fhir" -> !second.equals("r4") ? "other"
                    : segments.size() > 2 && segments.get(2).equals(".well-known") ? "fhir.smart-configuration"
                    : "fhir." + FhirAuditFilter.interaction(method, segments.subList(2, segments.size()));
            case "oauth2" -> second.equals(".well-known") ? "oauth2.discovery" : OAUTH_ENDPOINTS.contains(second) ? "oauth2." + second : "oauth2.other";
            case "admin" -> second.equals("api") ? "admin.api" : "admin.console";
            case "apps" -> "apps";
            case ".well-known" -> "well-known";
            case "health", "metrics", "openapi" -> segments.get(0);
            default -> "other";
        };
    }

    /** Appends this node's request series in the Prometheus text format. */
    void write(StringBuilder out) {
        family(out, "bastion_http_requests_total", "counter", "HTTP requests by endpoint and status");
        requests.forEach((labels, n) -> sample(out, "bastion_http_requests_total", "endpoint", labels.get(0), "status", labels.get(1), n.sum()));
        family(out, "bastion_http_request_duration_seconds", "histogram", "Time from a request's arrival to its response, by endpoint");
        latency.forEach((endpoint, histogram) -> {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += histogram.buckets[i].sum();
                sample(out, "bastion_http_request_duration_seconds_bucket", "endpoint", endpoint, "le", Double.toString(BUCKETS[i]), cumulative);
            }
            long count = histogram.count.sum();
            sample(out, "bastion_http_request_duration_seconds_bucket", "endpoint", endpoint, "le", "+Inf", count);
            out.append("bastion_http_request_duration_seconds_sum{endpoint=\"").append(endpoint).append("\"} ").append(histogram.sum.sum()).append('\n');
            sample(out, "bastion_http_request_duration_seconds_count", "endpoint", endpoint, null, null, count);
        });
        family(out, "bastion_refusals_total", "counter", "Refused requests (status 400 and above) by endpoint and reason: an OAuth error code, a FHIR issue type, or http_<status>");
        refusals.forEach((labels, n) -> sample(out, "bastion_refusals_total", "endpoint", labels.get(0), "reason", labels.get(1), n.sum()));
        family(out, "bastion_tokens_issued_total", "counter", "Access tokens issued by the token endpoint, by grant type");
        new java.util.TreeMap<>(tokens).forEach((grant, n) -> sample(out, "bastion_tokens_issued_total", "grant_type", grant, null, null, n.sum()));
    }

    static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static void sample(StringBuilder out, String name, String label, String value, String label2, String value2, Number n) {
        out.append(name).append('{').append(label).append("=\"").append(value).append('"');
        if (label2 != null) {
            out.append(',').append(label2).append("=\"").append(value2).append('"');
        }
        out.append("} ").append(n).append('\n');
    }

    private static int compare(List<String> a, List<String> b) {
        int first = a.get(0).compareTo(b.get(0));
        return first != 0 ? first : a.get(1).compareTo(b.get(1));
    }
}
