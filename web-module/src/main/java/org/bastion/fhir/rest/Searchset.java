package org.bastion.fhir.rest;

import ca.uhn.fhir.parser.IParser;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirRepository;
import org.hl7.fhir.r4.model.Bundle;

import java.util.List;

/**
 * A search's Bundle before it is written: the Bundle without its matches (type, total, links),
 * the matches as stored, and the entries after them (_include, an OperationOutcome). A JSON answer
 * sends each match's stored JSON as it is ({@link #json}, written by {@link StoredJsonWriter}), so
 * twenty Observations are not parsed and written again; any other answer, and a search inside a
 * batch, use {@link #toBundle}.
 */
public record Searchset(Bundle bundle, List<Match> matches, List<Bundle.BundleEntryComponent> after) {

    /** A match: its full URL and its JSON as stored. */
    public record Match(String fullUrl, FhirRepository.Found found) {
    }

    /** The whole Bundle, each match parsed. */
    public Bundle toBundle() {
        Bundle whole = bundle.copy();
        for (Match match : matches) {
            whole.addEntry().setFullUrl(match.fullUrl()).setResource(match.found().resource()).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        after.forEach(whole::addEntry);
        return whole;
    }

    /**
     * The Bundle's JSON: HAPI's for the Bundle without entries, whose last element is then "link"
     * (HAPI writes elements in the order of their definition, and entry comes after link, before
     * signature, which a searchset has not), and the entries appended to it.
     */
    String json() {
        IParser parser = Fhir.r4().newJsonParser();
        String head = parser.encodeResourceToString(bundle);
        if (matches.isEmpty() && after.isEmpty()) {
            return head;
        }
        StringBuilder json = new StringBuilder(head.length() + matches.stream().mapToInt(m -> m.found().json().length() + 100).sum());
        json.append(head, 0, head.length() - 1).append(",\"entry\":[");
        boolean first = true;
        for (Match match : matches) {
            json.append(first ? "" : ",").append("{\"fullUrl\":");
            quote(json, match.fullUrl());
            json.append(",\"resource\":").append(match.found().json()).append(",\"search\":{\"mode\":\"match\"}}");
            first = false;
        }
        if (!after.isEmpty()) {
            Bundle rest = new Bundle();
            after.forEach(rest::addEntry);
            String encoded = parser.encodeResourceToString(rest);
            String entries = encoded.substring(encoded.indexOf("\"entry\":[") + "\"entry\":[".length(), encoded.length() - 2);
            json.append(first ? "" : ",").append(entries);
        }
        return json.append("]}").toString();
    }

    /** A JSON string. */
    private static void quote(StringBuilder json, String value) {
        json.append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
