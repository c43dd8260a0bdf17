package org.bastion.fhir.search;

import java.util.Locale;

/** FHIR string search compares case- and accent-insensitively (R4 search.html#string). */
public final class Normalizer {

    static final int MAX = 255;

    private Normalizer() {
    }

    public static String normalize(String value) {
        String decomposed = java.text.Normalizer.normalize(value, java.text.Normalizer.Form.NFD);
        String plain = decomposed.replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT).trim();
        return truncate(plain);
    }

    public static String truncate(String value) {
        return value.length() > MAX ? value.substring(0, MAX) : value;
    }
}
