package org.bastion.identity.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/** Someone who signs in at /oauth2: an end user of SMART apps or an admin of the console. */
@Entity
@Table(name = "bastion_user")
public class BastionUser {

    public static final String ADMIN_ROLE = "admin";

    @Id
    private String id;

    @Column(nullable = false, unique = true)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "fhir_user")
    private String fhirUser;

    private String locale;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "bastion_user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role_name")
    private Set<String> roles = new HashSet<>();

    protected BastionUser() {
    }

    public BastionUser(String username, char[] password, Set<String> roles, Instant createdAt) {
        this.id = UUID.randomUUID().toString();
        this.username = username;
        this.passwordHash = PasswordHash.hash(password);
        this.roles = new HashSet<>(roles);
        this.enabled = true;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    public String username() {
        return username;
    }

    public boolean passwordMatches(char[] password) {
        return PasswordHash.matches(password, passwordHash);
    }

    public Set<String> roles() {
        return Set.copyOf(roles);
    }

    public boolean enabled() {
        return enabled;
    }
}
