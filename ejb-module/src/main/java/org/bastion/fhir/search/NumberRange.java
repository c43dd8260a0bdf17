package org.bastion.fhir.search;

import java.math.BigDecimal;

/** A number stands for the range its significant digits allow: 100 is [99.5, 100.5) (R4 search.html#number). */
public final class NumberRange {

    private NumberRange() {
    }

    public static BigDecimal[] of(BigDecimal value) {
        BigDecimal half = BigDecimal.ONE.movePointLeft(value.scale()).divide(BigDecimal.valueOf(2));
        return new BigDecimal[]{value.subtract(half), value.add(half)};
    }
}
