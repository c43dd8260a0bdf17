package org.bastion.oauth.application;

import com.nimbusds.oauth2.sdk.GrantType;
import org.bastion.platform.InvalidInputException;

import java.util.Collection;
import java.util.regex.Pattern;

/** An admin's decision about a client, checked field by field: approved grant types and scopes, JWT bearer subjects. */
public final class ClientTrust {

    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9._@-]{1,255}|role:[a-z0-9_-]{1,64}");

    private ClientTrust() {
    }

    public static void check(Collection<String> grantTypes, Collection<String> scope) {
        for (String grant : grantTypes) {
            if (ClientRegistry.SUPPORTED_GRANTS.stream().map(GrantType::getValue).noneMatch(grant::equals)) {
                throw new InvalidInputException("approved_grant_types", "'" + grant + "' is not a supported grant type; supported are "
                        + ClientRegistry.SUPPORTED_GRANTS.stream().map(GrantType::getValue).sorted().toList());
            }
        }
        if (scope.size() > 100) {
            throw new InvalidInputException("approved_scope", "has more than 100 scopes");
        }
        for (String one : scope) {
            if (!ScopeCatalog.SCOPE_TOKEN.matcher(one).matches()) {
                throw new InvalidInputException("approved_scope", "'" + one + "' is not a scope token (RFC 6749 section 3.3)");
            }
        }
    }

    public static void checkSubjects(Collection<String> subjects) {
        if (subjects.size() > 100) {
            throw new InvalidInputException("jwt_bearer_subjects", "has more than 100 entries; use role:<name>");
        }
        for (String subject : subjects) {
            if (!SUBJECT.matcher(subject).matches()) {
                throw new InvalidInputException("jwt_bearer_subjects", "'" + subject + "' is neither a username nor role:<name>");
            }
        }
    }
}
