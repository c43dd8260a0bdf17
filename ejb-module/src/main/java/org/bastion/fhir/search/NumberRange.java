package org.bastion.fhir.search;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A number stands for the range its significant digits allow: 100 is [99.5, 100.5) (R4
 * search.html#number). The index keeps ranges as numeric(38, 10), so a number the server takes,
 * in a resource or in a search, has at most {@value #MAX_INTEGER_DIGITS} digits before the point
 * and {@value #MAX_FRACTION_DIGITS} after it: 1e999999999 is refused at once, never expanded.
 */
public final class NumberRange {

    public static final int MAX_INTEGER_DIGITS = 27;
    public static final int MAX_FRACTION_DIGITS = 30;
    public static final String LIMIT = "a number may have at most " + MAX_INTEGER_DIGITS + " digits before the decimal point and "
            + MAX_FRACTION_DIGITS + " after it";
    private static final int STORED_SCALE = 10;

    private NumberRange() {
    }

    /** Whether the server can index and search this number (cheap: looks at precision and scale only). */
    public static boolean fits(BigDecimal value) {
        return value.precision() - value.scale() <= MAX_INTEGER_DIGITS && value.scale() <= MAX_FRACTION_DIGITS;
    }

    /** [low, high] of the number, widened to the stored scale; IllegalArgumentException when it does not {@link #fits}. */
    public static BigDecimal[] of(BigDecimal value) {
        if (!fits(value)) {
            throw new IllegalArgumentException(LIMIT);
        }
        BigDecimal half = BigDecimal.ONE.movePointLeft(value.scale()).divide(BigDecimal.valueOf(2));
        return new BigDecimal[]{stored(value.subtract(half), RoundingMode.FLOOR), stored(value.add(half), RoundingMode.CEILING)};
    }

    /** Widened outward to the scale the index keeps, when it has more digits after the point. */
    private static BigDecimal stored(BigDecimal bound, RoundingMode outward) {
        return bound.scale() > STORED_SCALE ? bound.setScale(STORED_SCALE, outward) : bound;
    }
}
