package org.bastion.oauth.domain;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The names users read on the sign-in and consent pages (RFC 7591 {@code client_name}). A client
 * that registered itself must not pass for one Bastion ships: a user who trusts "Bastion console"
 * would grant a look-alike the same trust. Names are compared by their skeleton, in which
 * compatibility forms (fullwidth, mathematical letters), case, accents, Cyrillic and Greek letters
 * drawn like Latin ones, spaces and punctuation make no difference.
 */
public final class ClientNames {

    public static final String CONSOLE = "Bastion console";
    public static final String SAMPLE_APP = "Patient Browser (sample SMART app)";
    public static final String POSTMAN = "Postman";

    /** The clients Bastion creates itself: the console's, and the demo's. */
    static final List<String> BUILT_IN = List.of(CONSOLE, SAMPLE_APP, POSTMAN);

    private static final String PRODUCT = "bastion";

    /** Letters of other scripts drawn like Latin ones (after Unicode's confusables), both cases. */
    private static final Map<Integer, Integer> LOOK_ALIKES = Map.ofEntries(
            // Cyrillic
            Map.entry(0x0410, (int) 'A'), Map.entry(0x0412, (int) 'B'), Map.entry(0x0415, (int) 'E'), Map.entry(0x041A, (int) 'K'),
            Map.entry(0x041C, (int) 'M'), Map.entry(0x041D, (int) 'H'), Map.entry(0x041E, (int) 'O'), Map.entry(0x0420, (int) 'P'),
            Map.entry(0x0421, (int) 'C'), Map.entry(0x0422, (int) 'T'), Map.entry(0x0425, (int) 'X'), Map.entry(0x0406, (int) 'I'),
            Map.entry(0x0408, (int) 'J'), Map.entry(0x0405, (int) 'S'), Map.entry(0x0430, (int) 'a'), Map.entry(0x0435, (int) 'e'),
            Map.entry(0x043E, (int) 'o'), Map.entry(0x0440, (int) 'p'), Map.entry(0x0441, (int) 'c'), Map.entry(0x0443, (int) 'y'),
            Map.entry(0x0445, (int) 'x'), Map.entry(0x0456, (int) 'i'), Map.entry(0x0458, (int) 'j'), Map.entry(0x0455, (int) 's'),
            Map.entry(0x04BB, (int) 'h'), Map.entry(0x0501, (int) 'd'), Map.entry(0x04CF, (int) 'l'),
            // Greek
            Map.entry(0x0391, (int) 'A'), Map.entry(0x0392, (int) 'B'), Map.entry(0x0395, (int) 'E'), Map.entry(0x0396, (int) 'Z'),
            Map.entry(0x0397, (int) 'H'), Map.entry(0x0399, (int) 'I'), Map.entry(0x039A, (int) 'K'), Map.entry(0x039C, (int) 'M'),
            Map.entry(0x039D, (int) 'N'), Map.entry(0x039F, (int) 'O'), Map.entry(0x03A1, (int) 'P'), Map.entry(0x03A4, (int) 'T'),
            Map.entry(0x03A5, (int) 'Y'), Map.entry(0x03A7, (int) 'X'), Map.entry(0x03B1, (int) 'a'), Map.entry(0x03B9, (int) 'i'),
            Map.entry(0x03BF, (int) 'o'), Map.entry(0x03BD, (int) 'v'), Map.entry(0x03C1, (int) 'p'),
            // Latin letters and digits read as one another
            Map.entry((int) 'l', (int) 'i'), Map.entry((int) '1', (int) 'i'), Map.entry(0x0131, (int) 'i'), Map.entry((int) '0', (int) 'o'));

    private ClientNames() {
    }

    /** Why a self-registered client may not be called this, or empty when it may. */
    public static Optional<String> imitation(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String skeleton = skeleton(name);
        for (String builtIn : BUILT_IN) {
            if (skeleton.equals(skeleton(builtIn))) {
                return Optional.of("'" + name + "' reads as '" + builtIn + "', the name of a client Bastion ships;"
                        + " a self-registered client needs a name of its own");
            }
        }
        if (skeleton.contains(PRODUCT)) {
            return Optional.of("'" + name + "' contains 'Bastion'; only Bastion's own clients may use that name");
        }
        return Optional.empty();
    }

    /** What a name looks like to a reader: two names with one skeleton are easily taken for each other. */
    static String skeleton(String name) {
        String compatible = Normalizer.normalize(name, Normalizer.Form.NFKC);
        StringBuilder latin = new StringBuilder(compatible.length());
        compatible.codePoints().map(c -> LOOK_ALIKES.getOrDefault(c, c)).forEach(latin::appendCodePoint);
        String lower = Normalizer.normalize(latin.toString().toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder skeleton = new StringBuilder(lower.length());
        // accents (combining marks), spaces, punctuation and invisible format characters drop out
        lower.codePoints().map(c -> LOOK_ALIKES.getOrDefault(c, c)).filter(Character::isLetterOrDigit)
                .forEach(skeleton::appendCodePoint);
        return skeleton.toString().replace("rn", "m");
    }
}
