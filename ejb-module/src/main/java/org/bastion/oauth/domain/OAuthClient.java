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
