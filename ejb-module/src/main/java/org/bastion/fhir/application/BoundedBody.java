package org.bastion.fhir.application;

import org.bastion.fhir.domain.FhirLimits;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body read as the parser goes, never buffered whole: it refuses (413) past the body
 * size limit and (400) past the nesting limit, counting JSON objects and arrays outside strings,
 * or XML start and end tags, byte by byte as they stream through. JSON numbers are looked at too:
 * the parser writes each one out in full (1e999999999 would be a billion digits), so a number of
 * more than {@value #MAX_NUMBER_CHARS} characters or with an exponent beyond ±{@value #MAX_EXPONENT}
 * is refused before it gets there.
 */
public final class BoundedBody extends FilterInputStream {

    public static final int MAX_NUMBER_CHARS = 100;
    public static final int MAX_EXPONENT = 100;

    private final FhirLimits limits;
    private final StringBuilder number = new StringBuilder();
    private final boolean xml;
    private long read;
    private int depth;
    // JSON: inside a string, after a backslash; XML: the previous byte, inside a tag
    private boolean inString;
    private boolean escaped;
    private int previous;
    private boolean inTag;
    private boolean closingTag;

    public BoundedBody(InputStream in, FhirLimits limits, boolean xml) {
        super(in);
        this.limits = limits;
        this.xml = xml;
    }

    public long bytesRead() {
        return read;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            seen(b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            seen(buffer[offset + i] & 0xff);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(n, 8192)];
        int got = read(discard, 0, discard.length);
        return Math.max(got, 0);
    }

    private void seen(int b) {
        if (++read > limits.bodyBytes()) {
            throw new FhirException(413, IssueType.TOOCOSTLY, FhirLimits.exceeded("The request body", limits.bodyBytes(),
                    "BASTION_FHIR_MAX_BODY_BYTES") + " bytes; send large data sets as several Bundles");
        }
        if (xml) {
            xmlByte(b);
        } else {
            jsonByte(b);
        }
        previous = b;
        if (depth > limits.depth()) {
            throw new FhirException(400, IssueType.TOOCOSTLY, FhirLimits.exceeded("The nesting of the body", limits.depth(),
                    "BASTION_FHIR_MAX_DEPTH") + " levels");
        }
    }

    private void jsonByte(int b) {
        if (inString) {
            if (escaped) {
                escaped = false;
            } else if (b == '\\') {
                escaped = true;
            } else if (b == '"') {
                inString = false;
            }
            return;
        }
        boolean numberChar = b >= '0' && b <= '9' || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
        if (numberChar) {
            if (number.length() >= MAX_NUMBER_CHARS) {
                throw new FhirException(400, IssueType.TOOCOSTLY, "A number in the body is longer than " + MAX_NUMBER_CHARS + " characters");
            }
            number.append((char) b);
            return;
        }
        if (number.length() > 0) {
            checkNumber();
        }
        switch (b) {
            case '"' -> inString = true;
            case '{', '[' -> depth++;
            case '}', ']' -> depth--;
            default -> {
            }
        }
    }

    /** A finished JSON token of number characters (true and false end in e: only tokens that start like a number count). */
    private void checkNumber() {
        String token = number.toString();
        number.setLength(0);
        if (token.isEmpty() || !(token.charAt(0) == '-' || Character.isDigit(token.charAt(0)))) {
            return;
        }
        int e = Math.max(token.indexOf('e'), token.indexOf('E'));
        if (e < 0) {
            return;
        }
        String exponent = token.substring(e + 1).replace("+", "");
        boolean tooLarge;
        try {
            tooLarge = Math.abs(Integer.parseInt(exponent)) > MAX_EXPONENT;
        } catch (NumberFormatException notANumber) {
            tooLarge = exponent.replace("-", "").length() > 3; // the parser refuses what is no number; a huge exponent is ours to refuse
        }
        if (tooLarge) {
            throw new FhirException(400, IssueType.TOOCOSTLY, "The number " + (token.length() > 40 ? token.substring(0, 40) + "…" : token)
                    + " in the body has an exponent beyond ±" + MAX_EXPONENT);
        }
    }

    /** Start tags deepen, end tags and empty-element tags (…/>) come back up; declarations, comments and PIs don't count. */
    private void xmlByte(int b) {
        if (!inTag) {
            if (b == '<') {
                inTag = true;
                closingTag = false;
            }
            return;
        }
        if (previous == '<') {
            if (b == '/') {
                closingTag = true;
            } else if (b == '!' || b == '?') {
                inTag = false; // a comment, CDATA or declaration: not an element
                return;
            } else {
                depth++;
            }
        }
        if (b == '>') {
            inTag = false;
            if (closingTag || previous == '/') {
                depth--;
            }
        }
    }
}
