package org.bastion.identity.application;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.identity.domain.PasswordHash;
import org.bastion.platform.BastionSettings;
import org.bastion.platform.InvalidInputException;
import org.bastion.smart.domain.Reach;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

@Stateless
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,255}");
    private static final Pattern FHIR_USER = Pattern.compile("(Patient|Practitioner|PractitionerRole|RelatedPerson|Person)/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern ROLE = Pattern.compile("[a-z0-9_-]{1,64}");
    private static final String DUMMY_HASH = PasswordHash.hash("not a password".toCharArray());

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    BastionSettings settings;

    @jakarta.ejb.EJB
    SignInThrottle throttle;

    @Inject
    jakarta.enterprise.event.Event<UserChanged> changed;

    private static final Pattern PATIENT_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    public static final int MAX_GRANTED_PATIENTS = 1000;

    /**
     * On first start there is no admin: create one from BASTION_ADMIN_USERNAME / BASTION_ADMIN_PASSWORD,
     * or with a generated password printed once, so a fresh server is never left open or locked.
     */
    public void ensureBootstrapAdmin() {
        Long admins = em.createQuery("select count(u) from BastionUser u join u.roles r where r = :role", Long.class)
                .setParameter("role", BastionUser.ADMIN_ROLE)
                .getSingleResult();
        if (admins > 0) {
            return;
        }
        String username = settings.bootstrapAdminUsername();
        String password = settings.bootstrapAdminPassword().orElseGet(UserService::generatePassword);
        em.persist(new BastionUser(username, password.toCharArray(), Set.of(BastionUser.ADMIN_ROLE), Instant.now()));
        if (settings.bootstrapAdminPassword().isPresent()) {
            LOG.info(() -> "Bootstrap admin '" + username + "' created with the password from BASTION_ADMIN_PASSWORD");
        } else {
            LOG.warning(() -> "Bootstrap admin '" + username + "' created with generated password: " + password
                    + "  (shown once; set BASTION_ADMIN_PASSWORD before first start to choose it)");
        }
    }

    /** A sign-in attempt's result: the user, or null and whether the attempt was throttled rather than judged. */
    public record SignIn(BastionUser user, boolean throttled) {
    }

    /**
     * Checks a username and password, unless the account name or the source address must wait
     * (SignInThrottle). A failure counts against both; unknown names count like known ones and
     * cost the same hashing time, so nothing here tells an account that exists from one that does not.
     */
    public SignIn signIn(String username, char[] password, String source) {
        Instant now = Instant.now();
        List<String> keys = List.of(SignInThrottle.accountKey(username), SignInThrottle.addressKey(source));
        if (!throttle.waiting(keys, now).isZero()) {
            return new SignIn(null, true);
        }
        BastionUser user = username == null || username.length() > 255 ? null
                : em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                .setParameter("name", username).getResultStream().findFirst().orElse(null);
        boolean matches;
        if (user == null) {
            PasswordHash.matches(password, DUMMY_HASH);
            matches = false;
        } else {
            matches = user.passwordMatches(password) && user.enabled();
        }
        if (!matches) {
            keys.forEach(key -> countFailure(key, now));
            return new SignIn(null, false);
        }
        throttle.succeeded(keys.get(0));
        return new SignIn(user, false);
    }

    private void countFailure(String key, Instant now) {
        try {
            throttle.failed(key, now);
        } catch (jakarta.ejb.EJBException e) {
            // two first failures of one key at once: the other inserted the row, so this one counts by update
            throttle.failed(key, now);
        }
    }

    public Optional<BastionUser> find(String id) {
        return id == null || id.length() > 36 ? Optional.empty() : Optional.ofNullable(em.find(BastionUser.class, id));
    }

    /** The user of that name, created as given unless one exists (whatever it has become since). */
    public BastionUser ensure(String username, char[] password, String fhirUser, Set<String> roles) {
        return em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                .setParameter("name", username).getResultStream().findFirst()
                .orElseGet(() -> create(username, password, fhirUser, roles, null));
    }

    /** A new user; the input is checked field by field. */
    public BastionUser create(String username, char[] password, String fhirUser, Set<String> roles, String locale) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidInputException("username", "must be 1 to 255 of letters, digits and . _ @ -");
        }
        checkPassword(password);
        checkProfile(fhirUser, roles, locale);
        if (!em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                .setParameter("name", username).getResultList().isEmpty()) {
            throw new InvalidInputException("username", "'" + username + "' is taken");
        }
        BastionUser user = new BastionUser(username, password, roles, Instant.now());
        user.fhirUser(fhirUser);
        user.locale(locale);
        em.persist(user);
        return user;
    }

    private static void checkPassword(char[] password) {
        if (password == null || password.length < 8) {
            throw new InvalidInputException("password", "must be at least 8 characters");
        }
    }

    private static void checkProfile(String fhirUser, Set<String> roles, String locale) {
        if (fhirUser != null && !FHIR_USER.matcher(fhirUser).matches()) {
            throw new InvalidInputException("fhirUser", "must be a relative reference to a Patient, Practitioner, PractitionerRole, "
                    + "RelatedPerson or Person, e.g. Practitioner/123");
        }
        for (String role : roles) {
            if (!ROLE.matcher(role).matches()) {
                throw new InvalidInputException("roles", "'" + role + "' is not a role name (lowercase letters, digits, - and _)");
            }
        }
        if (locale != null && !locale.matches("en|ja")) {
            throw new InvalidInputException("locale", "must be en or ja");
        }
    }

    /** Users whose name contains q (any when blank), by name. */
    public java.util.List<BastionUser> list(String q, int offset, int count) {
        return em.createQuery("select u from BastionUser u where :q is null or lower(u.username) like :q order by u.username", BastionUser.class)
                .setParameter("q", q == null || q.isBlank() ? null : "%" + q.toLowerCase(java.util.Locale.ROOT).replace("%", "").replace("_", "") + "%")
                .setFirstResult(offset).setMaxResults(count).getResultList();
    }

    /**
     * Changes a user's fhirUser, roles, locale, enabled flag and patient grant. The last enabled
     * admin cannot lose the admin role or be disabled, so the server never locks its admins out.
     * Disabling a user or taking a role away ends everything they hold at once.
     */
    public BastionUser update(String id, String fhirUser, Set<String> roles, String locale, boolean enabled,
                              boolean allPatients, Set<String> patients) {
        BastionUser user = find(id).orElseThrow(() -> new InvalidInputException("id", "no user " + id));
        checkProfile(fhirUser, roles, locale);
        checkPatients(patients);
        boolean staysAdmin = enabled && roles.contains(BastionUser.ADMIN_ROLE);
        if (user.hasRole(BastionUser.ADMIN_ROLE) && user.enabled() && !staysAdmin && enabledAdmins() <= 1) {
            throw new InvalidInputException(enabled ? "roles" : "enabled", "'" + user.username()
                    + "' is the last enabled admin; make another user admin first");
        }
        boolean ended = user.enabled() && !enabled || !roles.containsAll(user.roles());
        user.fhirUser(fhirUser);
        user.roles(roles);
        user.locale(locale);
        user.enabled(enabled);
        user.patientGrant(allPatients, patients);
        changed.fire(UserChanged.changed(id, ended));
        return user;
    }

    /** An admin sets a new password (the user is told it out of band); a sign-in lock is lifted and every session and token ends. */
    public BastionUser resetPassword(String id, char[] password) {
        BastionUser user = find(id).orElseThrow(() -> new InvalidInputException("id", "no user " + id));
        checkPassword(password);
        user.password(password);
        throttle.lift(SignInThrottle.accountKey(user.username()));
        changed.fire(UserChanged.changed(id, true));
        return user;
    }

    /** Deletes a user: their tokens, sessions and consents end with them; the audit trail keeps their id. */
    public void delete(String id) {
        BastionUser user = find(id).orElseThrow(() -> new InvalidInputException("id", "no user " + id));
        if (user.hasRole(BastionUser.ADMIN_ROLE) && user.enabled() && enabledAdmins() <= 1) {
            throw new InvalidInputException("id", "'" + user.username() + "' is the last enabled admin; make another user admin first");
        }
        changed.fire(new UserChanged(id, true, true));
        em.remove(user);
    }

    /**
     * The patients a user reaches: their own record (a Patient fhirUser), the patients a stored
     * RelatedPerson names (a RelatedPerson fhirUser), and whatever an admin granted. Anyone else,
     * and a fhirUser the server cannot resolve, reaches nothing.
     */
    public Reach reach(BastionUser user) {
        if (user.allPatients()) {
            return Reach.EVERYTHING;
        }
        Set<String> patients = new java.util.TreeSet<>(user.patients());
        String fhirUser = user.fhirUser();
        if (fhirUser != null && fhirUser.startsWith("Patient/")) {
            patients.add(fhirUser.substring("Patient/".length()));
        } else if (fhirUser != null && fhirUser.startsWith("RelatedPerson/")) {
            patients.addAll(linkedPatients(fhirUser.substring("RelatedPerson/".length())));
        }
        return Reach.of(false, patients);
    }

    /** RelatedPerson.patient of the stored RelatedPerson, read from the search index (the FHIR store's own record of it). */
    @SuppressWarnings("unchecked")
    private java.util.List<String> linkedPatients(String relatedPersonId) {
        return em.createNativeQuery("select x.target_id from fhir_idx_reference x join fhir_resource r on r.pk = x.resource_pk "
                        + "where r.resource_type = 'RelatedPerson' and r.resource_id = ? and r.deleted = false and x.resource_type = 'RelatedPerson' "
                        + "and x.param = 'patient' and x.target_type = 'Patient'")
                .setParameter(1, relatedPersonId).getResultList();
    }

    /**
     * The Patients whose managingOrganization is an Organization, read from the search index, at
     * most {@code max} of them (so a caller sees when there are more).
     */
    @SuppressWarnings("unchecked")
    public Set<String> managedPatients(String organizationId, int max) {
        return new java.util.TreeSet<String>(em.createNativeQuery("select r.resource_id from fhir_idx_reference x join fhir_resource r on r.pk = x.resource_pk "
                        + "where x.resource_type = 'Patient' and x.param = 'organization' and x.target_id = ? and x.target_type = 'Organization' "
                        + "and r.resource_type = 'Patient' and r.deleted = false")
                .setParameter(1, organizationId).setMaxResults(max).getResultList());
    }

    private static void checkPatients(Set<String> patients) {
        if (patients.size() > MAX_GRANTED_PATIENTS) {
            throw new InvalidInputException("patients", "at most " + MAX_GRANTED_PATIENTS + " patients can be listed; grant all_patients instead");
        }
        for (String patient : patients) {
            if (!PATIENT_ID.matcher(patient).matches()) {
                throw new InvalidInputException("patients", "'" + patient + "' is not a FHIR id (1 to 64 of A-Z a-z 0-9 - .)");
            }
        }
    }

    private long enabledAdmins() {
        return em.createQuery("select count(u) from BastionUser u join u.roles r where r = :role and u.enabled = true", Long.class)
                .setParameter("role", BastionUser.ADMIN_ROLE).getSingleResult();
    }

    private static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
