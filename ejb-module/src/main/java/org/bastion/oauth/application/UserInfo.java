package org.bastion.oauth.application;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.bastion.identity.domain.BastionUser;
import org.bastion.platform.BastionSettings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The UserInfo response (OpenID Connect Core §5.3.2): sub always, more as the granted scopes allow. */
@Stateless
public class UserInfo {

    @PersistenceContext(unitName = "bastion")
    EntityManager em;

    @Inject
    BastionSettings settings;

    public Optional<Map<String, Object>> claims(VerifiedAccessToken token) {
        BastionUser user = token.getSubject() == null ? null : em.find(BastionUser.class, token.getSubject());
        if (user == null || !user.enabled()) {
            return Optional.empty();
        }
        Set<String> scopes = token.scopes();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user.id());
        if (scopes.contains("profile")) {
            claims.put("preferred_username", user.username());
            if (user.locale() != null) {
                claims.put("locale", user.locale());
            }
        }
        if (scopes.contains("fhirUser") && user.fhirUser() != null) {
            claims.put("fhirUser", user.fhirUserUrl(settings.fhirBase()));
        }
        return Optional.of(claims);
    }
}
