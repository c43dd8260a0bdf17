package org.bastion.oauth.domain;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.time.Instant;

/**
 * A registered client (RFC 7591): its metadata as registered, and the hashes of its secret and
 * registration access token. Public clients (token_endpoint_auth_method none) have no secret.
 */
@Entity
@Table(name = "oauth_client")
public class OAuthClient {

    @Id
    @Column(name = "client_id")
    private String clientId;

    @Column(name = "secret_hash")
    private String secretHash;

    @Column(nullable = false)
    private String metadata;

    @Column(name = "registration_token_hash")
    private String registrationTokenHash;

    @Column(nullable = false)
    private boolean dynamic;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    /** Space-separated grant types an admin approved beyond the registration policy (self-registered clients). */
    @Column(name = "approved_grant_types", nullable = false)
    private String approvedGrantTypes = "";

    /** Space-separated scopes an admin approved beyond the registration policy (self-registered clients). */
    @Column(name = "approved_scope", nullable = false)
    private String approvedScope = "";

    /** Space-separated usernames (or role:name) this client may name as sub in the JWT bearer grant. */
    @Column(name = "jwt_bearer_subjects", nullable = false)
    private String jwtBearerSubjects = "";

    /** An admin made this client a resource server: it may introspect other clients' tokens. */
    @Column(name = "resource_server", nullable = false)
    private boolean resourceServer;

    @Transient
    private OIDCClientMetadata parsed;

    protected OAuthClient() {
    }

    public OAuthClient(String clientId, OIDCClientMetadata metadata, boolean dynamic, Instant now) {
        this.clientId = clientId;
        this.dynamic = dynamic;
        this.enabled = true;
        this.createdAt = now;
        update(metadata, now);
    }

    public void update(OIDCClientMetadata metadata, Instant now) {
        this.metadata = metadata.toJSONObject().toJSONString();
        this.parsed = metadata;
        this.updatedAt = now;
    }

    public String clientId() {
        return clientId;
    }

    public OIDCClientMetadata metadata() {
        if (parsed == null) {
            try {
                parsed = OIDCClientMetadata.parse(JSONObjectUtils.parse(metadata));
            } catch (ParseException e) {
                throw new IllegalStateException("Stored metadata of client " + clientId + " is not valid", e);
            }
        }
        return parsed;
    }

    public String name() {
        String name = metadata().getName();
        return name != null ? name : clientId;
    }

    public ClientAuthenticationMethod authMethod() {
        ClientAuthenticationMethod method = metadata().getTokenEndpointAuthMethod();
        return method != null ? method : ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
    }

    public boolean isPublic() {
        return ClientAuthenticationMethod.NONE.equals(authMethod());
    }

    public String secretHash() {
        return secretHash;
    }

    public void secretHash(String hash) {
        this.secretHash = hash;
    }

    public String registrationTokenHash() {
        return registrationTokenHash;
    }

    public void registrationTokenHash(String hash) {
        this.registrationTokenHash = hash;
    }

    public boolean dynamic() {
        return dynamic;
    }

    /** Registered itself (RFC 7591 at /oauth2/register): untrusted until an admin approves more than the policy. */
    public boolean selfRegistered() {
        return dynamic;
    }

    /**
     * Whether the client may use a grant type: it registered it, and either an admin created the
     * client, or the registration policy or an admin's approval covers it.
     */
    public boolean mayUse(com.nimbusds.oauth2.sdk.GrantType grantType) {
        return metadata().getGrantTypes() != null && metadata().getGrantTypes().contains(grantType)
                && (!dynamic || RegistrationPolicy.GRANT_TYPES.contains(grantType) || approvedGrantTypes().contains(grantType.getValue()));
    }

    public java.util.List<String> approvedGrantTypes() {
        return SpaceDelimited.list(approvedGrantTypes);
    }

    public java.util.List<String> approvedScope() {
        return SpaceDelimited.list(approvedScope);
    }

    public java.util.List<String> jwtBearerSubjects() {
        return SpaceDelimited.list(jwtBearerSubjects);
    }

    public boolean resourceServer() {
        return resourceServer;
    }

    /** An admin's decision about the client: what it is approved for beyond the policy, for whom it may act, whether it introspects. */
    public void trust(java.util.Collection<String> grantTypes, java.util.Collection<String> scope, java.util.Collection<String> subjects,
                      boolean resourceServer) {
        this.approvedGrantTypes = SpaceDelimited.join(grantTypes);
        this.approvedScope = SpaceDelimited.join(scope);
        this.jwtBearerSubjects = SpaceDelimited.join(subjects);
        this.resourceServer = resourceServer;
    }


    public boolean enabled() {
        return enabled;
    }

    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
