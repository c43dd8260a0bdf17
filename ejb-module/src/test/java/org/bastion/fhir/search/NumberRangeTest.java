package org.bastion.fhir.search;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NumberRangeTest {

    @Test
    void hugeAndTinyNumbersAreRefusedWithoutExpandingThem() {
        for (String number : new String[]{"1e999999999", "1e-999999999", "-1e30", "1234567890123456789012345678", "1e-31"}) {
            assertFalse(NumberRange.fits(new BigDecimal(number)), number);
            assertThrows(IllegalArgumentException.class, () -> NumberRange.of(new BigDecimal(number)), number);
        }
        assertTrue(NumberRange.fits(new BigDecimal("123456789012345678901234567")));
        assertTrue(NumberRange.fits(new BigDecimal("1e-30")));
    }

    @Test
    void boundsWithMoreDigitsThanTheIndexKeepsAreWidenedOutward() {
        BigDecimal[] range = NumberRange.of(new BigDecimal("0.123456789012345"));
        assertEquals(new BigDecimal("0.1234567890"), range[0]);
        assertEquals(new BigDecimal("0.1234567891"), range[1]);
        BigDecimal[] plain = NumberRange.of(new BigDecimal("100"));
        assertEquals(new BigDecimal("99.5"), plain[0]);
        assertEquals(new BigDecimal("100.5"), plain[1]);
    }
}
