package org.bastion.oauth.application;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The CORS origins registered clients trust: re-read every 30 seconds (another node may register
 * a client), and at once when a client is registered or changed on this node.
 */
@ApplicationScoped
public class TrustedOrigins {

    private static final Duration TTL = Duration.ofSeconds(30);

    @EJB
    ClientRegistry clients;

    private volatile Set<String> origins;
    private volatile Instant loadedAt = Instant.MIN;

    public boolean trusted(String origin) {
        if (origins == null || loadedAt.plus(TTL).isBefore(Instant.now())) {
            origins = Set.copyOf(clients.corsOrigins());
            loadedAt = Instant.now();
        }
        return origins.contains(origin);
    }

    void forget(@Observes(during = TransactionPhase.AFTER_SUCCESS) ClientChanged change) {
        loadedAt = Instant.MIN;
    }
}
