package org.bastion.oauth.domain;

import java.util.Collection;
import java.util.List;

/** Lists kept as one space-delimited string, as OAuth writes scopes (RFC 6749 §3.3): grant types, scopes, names. */
public final class SpaceDelimited {

    private SpaceDelimited() {
    }

    /** The words of a value; none for null or blank. */
    public static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    public static String join(Collection<String> words) {
        return String.join(" ", words);
    }
}
