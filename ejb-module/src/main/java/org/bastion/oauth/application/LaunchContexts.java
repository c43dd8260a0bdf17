package org.bastion.oauth.application;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.oauth.domain.LaunchContext;
import org.bastion.oauth.domain.Secrets;
import org.bastion.platform.InvalidInputException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** EHR launch handles: an EHR (or the console) makes one for a patient and passes it to the app as launch=. */
@Stateless
public class LaunchContexts {

    static final Duration LIFETIME = Duration.ofHours(1);
    /** FHIR R4 id: 1 to 64 of [A-Za-z0-9-.]. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    private final Clock clock = Clock.systemUTC();

    public LaunchContext create(String patient, String encounter, String createdBy) {
        requireId("patient", patient, true);
        requireId("encounter", encounter, false);
        requireStored("patient", "Patient", patient);
        if (encounter != null) {
            requireStored("encounter", "Encounter", encounter);
        }
        Instant now = clock.instant();
        LaunchContext context = new LaunchContext(Secrets.random(), patient, encounter, createdBy, now, now.plus(LIFETIME));
        em.persist(context);
        return context;
    }

    public Optional<LaunchContext> find(String handle) {
        if (handle == null || handle.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(LaunchContext.class, handle)).filter(c -> !c.expired(clock.instant()));
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
