package org.bastion.platform;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of the HTTP request a thread is serving: returned to the client in {@code X-Request-Id},
 * written in every log line of the request and in its audit record, so an operator goes from a
 * client's complaint to the log and the audit trail with one value. A proxy's id (nginx's
 * {@code $request_id}, haproxy's {@code unique-id}) is kept when it is a plain token; anything
 * else is replaced by a fresh one, so a client cannot write arbitrary text into the logs.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{8,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private RequestIds() {
    }

    /** The id for a request that arrived with this header value (or none). */
    public static String accept(String offered) {
        if (offered != null && ACCEPTED.matcher(offered).matches()) {
            return offered;
        }
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Marks the calling thread as serving this request until {@link #clear()}. */
    public static void enter(String requestId) {
        CURRENT.set(requestId);
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** The id of the request the calling thread serves, if it serves one. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
