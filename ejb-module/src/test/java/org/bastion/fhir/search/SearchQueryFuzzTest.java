package org.bastion.fhir.search;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bastion.fhir.application.Fhir;
import org.bastion.fhir.application.FhirException;
import org.bastion.fhir.domain.FhirLimits;
import org.bastion.smart.domain.AccessPolicy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the search parser (docs/testing.md): whatever a client puts in a search, and whatever
 * query a SMART scope carries, the search becomes SQL with one placeholder per argument, or is
 * refused with a 4xx FhirException; nothing else escapes. An input is up to four lines of text:
 * <ol>
 *   <li>the resource type (Patient when the line names none);</li>
 *   <li>the query, name=value pairs joined by &amp;, as the server has them after URL decoding;</li>
 *   <li>a compartment Type/id to search in, or nothing;</li>
 *   <li>the token's reach, a patient id and/or a scope's ?query, or no line for no restriction.</li>
 * </ol>
 * Chains and _has look into other types with no reach there, as for a token without such scopes.
 */
class SearchQueryFuzzTest {

    @DictionaryEntries({"code", "value-quantity", "date", "subject", "subject:Patient.name", "patient", "_has:Observation:patient:code",
            "_has:Observation:subject:", "_id", "_lastUpdated", "birthdate", "name", "family", "identifier", "gender", "general-practitioner",
            "category", "status", "encounter", "component-code-value-quantity", "_sort", "_count", "_include", ":missing", ":exact",
            ":contains", ":text", ":not", ":of-type", ":identifier", ":below", ":Patient", "eq", "ne", "gt", "lt", "ge", "le", "sa", "eb",
            "ap", "http://loinc.org|", "|", ",", "\\,", ".", "2024-03-01T10:15:00Z", "1e9999"})
    @FuzzTest
    void anySearchIsSqlOrARefusal(byte[] input) {
        String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 4);
        String type = Fhir.isResourceType(lines[0]) ? lines[0] : "Patient";
        try {
            SearchQuery query = new SearchQuery(type, parameters(line(lines, 1)), other -> new AccessPolicy.Restriction(List.of()),
                    FhirLimits.DEFAULT);
            String compartment = line(lines, 2);
            int slash = compartment.indexOf('/');
            if (slash > 0) {
                query.inCompartment(compartment.substring(0, slash), compartment.substring(slash + 1));
            }
            if (lines.length > 3) {
                query.restrict(reach(lines[3]));
            }
            assertOnePlaceholderPerArgument(query);
        } catch (FhirException e) {
            if (e.status() < 400 || e.status() > 499) {
                throw new AssertionError("A search was answered with " + e.status() + ", not a 4xx", e);
            }
        }
    }

    /** Every value travels as an argument: the SQL has exactly one placeholder for each. */
    private static void assertOnePlaceholderPerArgument(SearchQuery query) {
        int args = query.args().size();
        assertEquals(args, placeholders(query.idSql()), query.idSql());
        assertEquals(args, placeholders(query.countSql()), query.countSql());
        // a page adds the offset and the page size; a keyset page the cursor and the page size
        assertEquals(query.pageArgs().size() + 2, placeholders(query.pageSql()), query.pageSql());
        assertEquals(query.keysetArgs().size() + 2, placeholders(query.keysetSql(true, true)), query.keysetSql(true, true));
    }

    private static long placeholders(String sql) {
        return sql.chars().filter(c -> c == '?').count();
    }

    private static String line(String[] lines, int index) {
        return index < lines.length ? lines[index] : "";
    }

    private static Map<String, List<String>> parameters(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                String[] nameAndValue = pair.split("=", 2);
                params.computeIfAbsent(nameAndValue[0], name -> new ArrayList<>()).add(nameAndValue.length > 1 ? nameAndValue[1] : "");
            }
        }
        return params;
    }

    /** "123" is patient 123's compartment, "?code=x" a scope's query, "123?code=x" both, "" everything. */
    private static AccessPolicy.Restriction reach(String line) {
        int question = line.indexOf('?');
        String patient = question < 0 ? line : line.substring(0, question);
        String query = question < 0 ? null : line.substring(question + 1);
        return new AccessPolicy.Restriction(List.of(new AccessPolicy.Alternative(patient.isEmpty() ? null : patient, query)));
    }
}
