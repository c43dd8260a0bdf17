package org.bastion.identity.application;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.identity.domain.PasswordHash;
import org.bastion.platform.BastionSettings;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import java.util.logging.Logger;

@Stateless
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private static final String DUMMY_HASH = PasswordHash.hash("not a password".toCharArray());

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    BastionSettings settings;

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

    /** A sign-in attempt's result: the user, or null with the minutes sign-in stays locked (0: just a wrong password). */
    public record SignIn(BastionUser user, long lockedMinutes) {
    }

    /**
     * Checks a username and password. Failures count per user and lock sign-in for a while after
     * five in a row; an unknown username costs the same hashing time as a known one.
     */
    public SignIn signIn(String username, char[] password) {
        Instant now = Instant.now();
        BastionUser user = username == null || username.length() > 255 ? null
                : em.createQuery("select u from BastionUser u where u.username = :name", BastionUser.class)
                .setParameter("name", username).getResultStream().findFirst().orElse(null);
        if (user == null) {
            PasswordHash.matches(password, DUMMY_HASH);
            return new SignIn(null, 0);
        }
        long locked = user.lockedMinutes(now);
        if (locked > 0) {
            return new SignIn(null, locked);
        }
        if (!user.enabled() || !user.passwordMatches(password)) {
            user.loginFailed(now);
            return new SignIn(null, user.lockedMinutes(now));
        }
        user.loginSucceeded();
        return new SignIn(user, 0);
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
