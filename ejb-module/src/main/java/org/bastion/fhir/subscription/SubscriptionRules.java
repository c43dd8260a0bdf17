package org.bastion.fhir.subscription;

import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.search.SearchQuery;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Bastion accepts of a Subscription (R4 subscription.html): criteria that are a search of one
 * resource type whose every parameter this server knows, a rest-hook channel with an endpoint, a
 * payload of none or FHIR JSON, and headers that are one "Name: value" line each. A refusal names
 * the element and what to send instead.
 */
public final class SubscriptionRules {

    /** The payloads a notification can carry: none (an empty POST), or the resource as FHIR JSON (a PUT of it). */
    static final Set<String> JSON_PAYLOADS = Set.of("application/fhir+json", "application/json", "json");
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}):[ \\t]*([\\x20-\\x7e\\t]{0,4096})");
    /** Headers the sender sets itself. */
    private static final Set<String> RESERVED = Set.of("content-type", "content-length", "host", "transfer-encoding", "connection");

    private SubscriptionRules() {
    }

    /** A subscription as Bastion sends its notifications: the criteria's type and parameters, where, what and with which headers. */
    public record Rule(String type, Map<String, List<String>> params, String endpoint, boolean fullResource, Map<String, String> headers) {
    }

    public static Rule read(Subscription subscription) {
        String criteria = subscription.getCriteria();
        if (criteria == null || criteria.isBlank()) {
            throw invalid("Subscription.criteria is required: a search such as Observation?code=http://loinc.org|8867-4");
        }
        int question = criteria.indexOf('?');
        String type = question < 0 ? criteria.trim() : criteria.substring(0, question).trim();
        if (!Fhir.isResourceType(type)) {
            throw invalid("Subscription.criteria '" + criteria + "' does not start with a FHIR R4 resource type (as in Observation?code=…)");
        }
        if (type.equals(org.bastion.smart.domain.AccessPolicy.SUBSCRIPTION) || type.equals("AuditEvent")) {
            throw invalid("Subscription.criteria cannot watch " + type + " resources");
        }
        Map<String, List<String>> params = question < 0 ? new LinkedHashMap<>() : Fhir.parseQuery(criteria.substring(question + 1));
        for (String key : params.keySet()) {
            if (key.startsWith("_") && !key.equals("_id") && !key.equals("_lastUpdated") && !key.startsWith("_has")) {
                throw invalid("Subscription.criteria: " + key + " is not a search condition (paging, sorting and includes mean nothing to a notification)");
            }
        }
        List<String> unknown = new SearchQuery(type, params).ignored();
        if (!unknown.isEmpty()) {
            throw invalid("Subscription.criteria: " + String.join(", ", unknown) + " is not a search parameter of " + type + " this server knows");
        }
        Subscription.SubscriptionChannelComponent channel = subscription.getChannel();
        if (channel.getType() != Subscription.SubscriptionChannelType.RESTHOOK) {
            throw invalid("Subscription.channel.type '" + (channel.getType() == null ? "" : channel.getType().toCode())
                    + "' is not supported: this server sends rest-hook notifications only");
        }
        String endpoint = channel.getEndpoint();
        if (endpoint == null || endpoint.isBlank()) {
            throw invalid("Subscription.channel.endpoint is required for a rest-hook: the URL notifications are sent to");
        }
        String payload = channel.getPayload();
        boolean full = payload != null && !payload.isBlank();
        if (full && !JSON_PAYLOADS.contains(payload.toLowerCase(Locale.ROOT).split(";")[0].trim())) {
            throw invalid("Subscription.channel.payload '" + payload + "' is not supported: leave it out (a notification without content)"
                    + " or send application/fhir+json (the resource, PUT to the endpoint's [type]/[id])");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (StringType header : channel.getHeader()) {
            String line = header.getValue() == null ? "" : header.getValue();
            java.util.regex.Matcher m = HEADER.matcher(line);
            if (!m.matches()) {
                throw invalid("Subscription.channel.header '" + line.replaceAll("[\\r\\n]", "\\\\n")
                        + "' is not one 'Name: value' line of printable characters");
            }
            if (RESERVED.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                throw invalid("Subscription.channel.header " + m.group(1) + " is set by the server, not by the subscription");
            }
            headers.put(m.group(1), m.group(2).trim());
        }
        if (headers.size() > 10) {
            throw invalid("Subscription.channel.header: at most 10 headers");
        }
        return new Rule(type, params, endpoint.trim(), full, headers);
    }

    private static FhirException invalid(String message) {
        return new FhirException(400, IssueType.INVALID, message);
    }
}
