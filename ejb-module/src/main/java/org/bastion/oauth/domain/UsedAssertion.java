package org.bastion.oauth.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A client assertion's jti, remembered until the assertion expires so it cannot be replayed (RFC 7523 §3). */
@Entity
@Table(name = "used_assertion")
@IdClass(UsedAssertion.Key.class)
public class UsedAssertion {

    @Id
    @Column(name = "client_id")
    private String clientId;

    @Id
    private String jti;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected UsedAssertion() {
    }

    public UsedAssertion(String clientId, String jti, Instant expiresAt) {
        this.clientId = clientId;
        this.jti = jti;
        this.expiresAt = expiresAt;
    }

    /** The composite key (client, jti). */
    public static class Key implements Serializable {
        private String clientId;
        private String jti;

        public Key() {
        }

        public Key(String clientId, String jti) {
            this.clientId = clientId;
            this.jti = jti;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(clientId, k.clientId) && Objects.equals(jti, k.jti);
        }

        @Override
        public int hashCode() {
            return Objects.hash(clientId, jti);
        }
    }
}
