package org.bastion.oauth.domain;

import com.nimbusds.oauth2.sdk.GrantType;
import org.bastion.smart.domain.SmartScope;

import java.util.List;
import java.util.Set;

/**
 * What a client that registered itself may have without an admin's approval: an app a user signs
 * in to, acting for that user only. No system/ scopes, no client_credentials, no JWT bearer grant
 * and no admin scope: power over other people's data comes from an admin's decision only.
 */
public final class RegistrationPolicy {

    public static final Set<GrantType> GRANT_TYPES = Set.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN);

    public static final List<String> SCOPES = List.of("openid", "profile", "fhirUser", "offline_access", "online_access",
            "launch", "launch/patient", "launch/encounter");

    private RegistrationPolicy() {
    }

    /** Whether the policy covers a scope: the fixed ones above, and SMART patient/ and user/ scopes. */
    public static boolean covers(String scope) {
        return SCOPES.contains(scope) || SmartScope.parse(scope)
                .filter(s -> s.context() == SmartScope.Context.PATIENT || s.context() == SmartScope.Context.USER).isPresent();
    }
}
