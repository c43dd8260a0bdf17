package org.bastion.platform;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sliding one-minute windows over the times of each key's latest admissions (a source address, an
 * API key): at most a limit's worth within any minute. Kept in memory, per node: at most so many
 * keys, the one seen least recently forgotten first, so memory stays bounded (a key holds at most a
 * limit's worth of times). A new limit starts every window afresh (they were sized for the old one).
 */
public final class RateWindows {

    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final Map<String, Admissions> windows;
    private int limit = -1;

    public RateWindows(int maxKeys) {
        this.windows = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Admissions> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Counts an admission for the key at {@code now} (ms) if it is within the limit: zero then;
     * otherwise, counting nothing, how long until it may have another (Retry-After). A limit of zero
     * or less admits everything.
     */
    public synchronized Duration admit(String key, int limit, long now) {
        if (limit != this.limit) {
            windows.clear();
            this.limit = limit;
        }
        if (limit <= 0) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(windows.computeIfAbsent(key, k -> new Admissions()).admit(now, limit));
    }

    /** The times (ms) of a key's admissions, oldest first; a ring once it holds a limit's worth. */
    private static final class Admissions {
        private long[] times = new long[4];
        private int count;
        private int oldest;

        /** Zero when admitted (and counted), else the milliseconds until the oldest admission leaves the window. */
        long admit(long now, int limit) {
            if (count < limit) {
                if (count == times.length) {
                    times = Arrays.copyOf(times, Math.min(limit, times.length * 2));
                }
                times[count++] = now;
                return 0;
            }
            long wait = times[oldest] + WINDOW.toMillis() - now;
            if (wait > 0) {
                return wait;
            }
            times[oldest] = now;
            oldest = (oldest + 1) % limit;
            return 0;
        }
    }
}
