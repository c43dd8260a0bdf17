package org.bastion.platform.rest;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import org.bastion.oauth.application.ClientRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The CORS origins registered clients trust, re-read every 30 seconds (another node may register a client). */
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
}
