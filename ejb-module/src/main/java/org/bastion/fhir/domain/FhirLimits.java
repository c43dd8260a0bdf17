package org.bastion.fhir.domain;

/**
 * How much one FHIR request may ask of the server. Each limit is a setting (BASTION_FHIR_MAX_…)
 * with a safe default, and each refusal names the limit and its setting.
 *
 * @param bodyBytes     largest request body (the default is sized to the heap: a parsed Bundle takes many times its bytes)
 * @param bundleEntries most entries in a transaction or batch Bundle
 * @param depth         deepest nesting of JSON objects and arrays, or of XML elements, in a body
 * @param orValues      most comma-separated values of one search parameter
 * @param chainDepth    most links of a chain (a.b.c) or nested _has of one search parameter
 * @param includeSpecs  most _include and _revinclude parameters of one search
 * @param count         largest _count
 * @param offset        largest _offset (deeper pages: follow the next links, which page by key)
 */
public record FhirLimits(int bodyBytes, int bundleEntries, int depth, int orValues, int chainDepth, int includeSpecs, int count, int offset) {

    /** The defaults for a server with this much heap. */
    public static FhirLimits forHeap(long maxHeapBytes) {
        int body = (int) Math.max(4L * 1024 * 1024, Math.min(64L * 1024 * 1024, maxHeapBytes / 48));
        return new FhirLimits(body, 20_000, 64, 100, 3, 10, 500, 10_000);
    }

    public static final FhirLimits DEFAULT = forHeap(Runtime.getRuntime().maxMemory());

    public FhirLimits withOrValues(int orValues) {
        return new FhirLimits(bodyBytes, bundleEntries, depth, orValues, chainDepth, includeSpecs, count, offset);
    }

    /** A refusal's text: what was asked, the limit, and the setting that raises it. */
    public static String exceeded(String what, long limit, String setting) {
        return what + " exceeds the limit of " + limit + " (setting " + setting + ")";
    }
}
