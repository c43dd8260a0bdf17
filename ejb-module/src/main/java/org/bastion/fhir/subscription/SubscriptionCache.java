package org.bastion.fhir.subscription;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The active subscriptions of each watched resource type, as this node last read them: read again
 * when older than 5 seconds, or at once after this node stored a Subscription. Another node's new
 * subscription starts to be notified here within those seconds.
 */
@ApplicationScoped
public class SubscriptionCache {

    static final long MAX_AGE_NANOS = 5_000_000_000L;

    private record Snapshot(Map<String, List<String>> byType, long readAt) {
    }

    private volatile Snapshot snapshot;

    /** The ids of the active subscriptions whose criteria watch a type; read through the loader when stale. */
    List<String> active(String type, Supplier<Map<String, List<String>>> loader) {
        Snapshot current = snapshot;
        if (current == null || System.nanoTime() - current.readAt() > MAX_AGE_NANOS) {
            current = new Snapshot(loader.get(), System.nanoTime());
            snapshot = current;
        }
        return current.byType().getOrDefault(type, List.of());
    }

    /** Read again at the next write (a Subscription of this node's changed). */
    void forget() {
        snapshot = null;
    }
}
