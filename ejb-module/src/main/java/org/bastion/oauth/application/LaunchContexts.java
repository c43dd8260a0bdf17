package org.bastion.oauth.application;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.oauth.domain.LaunchContext;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.InvalidInputException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * EHR launch handles: an EHR (or the console) makes one for a patient, an app and a user, and
 * passes it to the app as launch=. A handle is not a bearer secret: it is good for that client
 * and that user only, once, for a few minutes.
 */
@Stateless
public class LaunchContexts {

    static final Duration LIFETIME = Duration.ofMinutes(5);
    /** FHIR R4 id: 1 to 64 of [A-Za-z0-9-.]. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @EJB
    ClientRegistry clients;

    private final Clock clock = Clock.systemUTC();

    /**
     * @param username the user who will open the app, or null for the admin making the handle (createdBy)
     */
    public LaunchContext create(String patient, String encounter, String clientId, String username, String createdBy) {
        requireId("patient", patient, true);
        requireId("encounter", encounter, false);
        requireStored("patient", "Patient", patient);
        if (encounter != null) {
            requireStored("encounter", "Encounter", encounter);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new InvalidInputException("client_id", "is required: a launch handle is for one app");
        }
        if (clients.find(clientId).filter(c -> c.enabled()).isEmpty()) {
            throw new InvalidInputException("client_id", "names no enabled client: '" + clientId + "'");
        }
        String userId = createdBy;
        if (username != null && !username.isBlank()) {
            userId = em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                    .setParameter("name", username).getResultStream().findFirst().filter(BastionUser::enabled).map(BastionUser::id)
                    .orElseThrow(() -> new InvalidInputException("username", "names no enabled user: '" + username + "'"));
        }
        Instant now = clock.instant();
        LaunchContext context = new LaunchContext(Secrets.random(), patient, encounter, clientId, userId, createdBy, now, now.plus(LIFETIME));
        em.persist(context);
        return context;
    }

    /** A handle this client may still use (the authorization request's check, before anyone signed in). */
    public Optional<LaunchContext> usable(String handle, String clientId) {
        if (handle == null || handle.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(LaunchContext.class, handle))
                .filter(c -> !c.expired(clock.instant()) && !c.used() && clientId.equals(c.clientId()));
    }

    /**
     * Spends a handle for the client and the signed-in user it was made for: one conditional
     * update, so two flows racing for it (on two nodes too) cannot both have it.
     */
    public Optional<LaunchContext> redeem(String handle, String clientId, String userId) {
        Optional<LaunchContext> found = usable(handle, clientId).filter(c -> c.userId() == null || c.userId().equals(userId));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int spent = em.createQuery("update LaunchContext c set c.usedAt = :now where c.handle = :handle and c.usedAt is null")
                .setParameter("now", clock.instant()).setParameter("handle", handle).executeUpdate();
        return spent == 1 ? found : Optional.empty();
    }

    /** An app launched on a patient that is not there would only fail later, less clearly. */
    private void requireStored(String field, String type, String id) {
        boolean stored = !em.createQuery("select r.pk from StoredResource r where r.resourceType = :type and r.resourceId = :id and r.deleted = false",
                Long.class).setParameter("type", type).setParameter("id", id).setMaxResults(1).getResultList().isEmpty();
        if (!stored) {
            throw new InvalidInputException(field, "names no stored " + type + ": there is no " + type + "/" + id);
        }
    }

    private static void requireId(String field, String value, boolean required) {
        if (value == null ? required : !FHIR_ID.matcher(value).matches()) {
            throw new InvalidInputException(field, value == null ? "is required" : "must be a FHIR id (1 to 64 of A-Z a-z 0-9 - .), not '" + value + "'");
        }
    }
}
