package org.bastion.identity.application;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.platform.BastionSettings;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import java.util.logging.Logger;

@Stateless
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

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

    private static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
