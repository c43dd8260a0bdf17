package org.bastion.fhir.search;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import org.bastion.fhir.application.Fhir;
import org.bastion.smart.domain.AccessPolicy;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Map;

/**
 * Whether one version of a resource, as it was written, is within a token's reach. History and
 * vread judge each version on its own content: an Observation that was patient B's in version 1
 * stays B's in version 1 even after it moved to A. The same rules as the search narrowing, in
 * memory; a scope query this cannot evaluate (anything but token parameters) reaches nothing.
 */
public final class VersionReach {

    private VersionReach() {
    }

    public static boolean within(Resource version, AccessPolicy.Restriction restriction) {
        if (restriction.unrestricted()) {
            return true;
        }
        if (restriction.denied()) {
            return false;
        }
        List<IndexRow> rows = SearchIndexer.extract(version);
        return restriction.alternatives().stream().anyMatch(a -> inPatient(version, rows, a.patient()) && matches(version.fhirType(), rows, a.query()));
    }

    private static boolean inPatient(Resource version, List<IndexRow> rows, String patient) {
        if (patient == null) {
            return true;
        }
        String type = version.fhirType();
        if (type.equals("Patient") && patient.equals(version.getIdElement().getIdPart())) {
            return true;
        }
        List<String> params = SearchQuery.compartmentParams(type, "Patient");
        return rows.stream().anyMatch(row -> row instanceof IndexRow.Reference ref && "Patient".equals(ref.targetType())
                && patient.equals(ref.targetId()) && (params.isEmpty() || params.contains(ref.param())));
    }

    private static boolean matches(String type, List<IndexRow> rows, String query) {
        if (query == null) {
            return true;
        }
        for (Map.Entry<String, List<String>> entry : Fhir.parseQuery(query).entrySet()) {
            RuntimeSearchParam param = entry.getKey().contains(":") ? null : Fhir.r4().getResourceDefinition(type).getSearchParam(entry.getKey());
            if (param == null || param.getParamType() != RestSearchParameterTypeEnum.TOKEN) {
                return false;
            }
            for (String value : entry.getValue()) {
                boolean any = false;
                for (String one : value.split(",")) {
                    any |= rows.stream().anyMatch(row -> row instanceof IndexRow.Token token && token.param().equals(param.getName())
                            && tokenMatches(token, one));
                }
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    /** R4 search.html#token: code, system|code, |code (no system), system| (any code of the system). */
    private static boolean tokenMatches(IndexRow.Token token, String value) {
        int bar = value.indexOf('|');
        if (bar < 0) {
            return value.equals(token.code());
        }
        String system = value.substring(0, bar);
        String code = value.substring(bar + 1);
        boolean systemOk = system.isEmpty() ? token.system() == null : system.equals(token.system());
        return systemOk && (code.isEmpty() && !system.isEmpty() || code.equals(token.code()));
    }
}
