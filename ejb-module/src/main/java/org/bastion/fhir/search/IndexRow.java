package org.bastion.fhir.search;

import java.math.BigDecimal;
import java.time.Instant;

/** One search index row extracted from a resource, by parameter kind. */
public sealed interface IndexRow {

    String param();

    record StringValue(String param, String normalized, String exact) implements IndexRow {
    }

    /** A code in a system, with the normalized text shown for it (CodeableConcept.text or Coding.display) for :text. */
    record Token(String param, String system, String code, String text) implements IndexRow {
        public Token(String param, String system, String code) {
            this(param, system, code, null);
        }
    }

    record Reference(String param, String targetType, String targetId, String url) implements IndexRow {
    }

    /** A date as the range of instants it covers at its precision (FHIR R4 search.html#date). */
    record DateRange(String param, Instant low, Instant high) implements IndexRow {
    }

    /** A number or quantity as the range its significant digits cover; system and code for quantities. */
    record Number(String param, BigDecimal low, BigDecimal high, String system, String code) implements IndexRow {
    }

    record Uri(String param, String uri) implements IndexRow {
    }
}
