package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** What a user allowed a client, reused for later requests until revoked. */
@Entity
@Table(name = "consent")
@IdClass(ConsentGrant.Key.class)
public class ConsentGrant {

    @Id
    @Column(name = "user_id")
    private String userId;

    @Id
    @Column(name = "client_id")
    private String clientId;

    @Column(nullable = false)
    private String scope;

    @Column(name = "granted_at", nullable = false)
    private Instant grantedAt;

    protected ConsentGrant() {
    }

    public ConsentGrant(String userId, String clientId, Set<String> scopes, Instant now) {
        this.userId = userId;
        this.clientId = clientId;
        grant(scopes, now);
    }

    public void grant(Set<String> scopes, Instant now) {
        this.scope = String.join(" ", scopes);
        this.grantedAt = now;
    }

    public String userId() {
        return userId;
    }

    public String clientId() {
        return clientId;
    }

    public Instant grantedAt() {
        return grantedAt;
    }

    public Set<String> scopes() {
        return scope.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scope.split(" ")));
    }

    /** The composite key (user, client). */
    public static class Key implements Serializable {
        private String userId;
        private String clientId;

        public Key() {
        }

        public Key(String userId, String clientId) {
            this.userId = userId;
            this.clientId = clientId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(clientId, k.clientId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, clientId);
        }
    }
}
