package org.bastion.identity.domain;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import java.time.Duration;
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

    /** An admin granted this user every patient (for user/ scopes and the patient picker). */
    @Column(name = "all_patients", nullable = false)
    private boolean allPatients;

    /** Patients an admin granted this user, besides what their fhirUser gives them. */
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "bastion_user_patient", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "patient_id")
    private Set<String> patients = new HashSet<>();

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

    public String fhirUser() {
        return fhirUser;
    }

    /** SMART's fhirUser claim: the absolute URL of the user's FHIR resource on this server, or null. */
    public String fhirUserUrl(String fhirBase) {
        return fhirUser == null ? null : fhirBase + "/" + fhirUser;
    }

    public void fhirUser(String reference) {
        this.fhirUser = reference;
    }

    public String locale() {
        return locale;
    }

    public void locale(String locale) {
        this.locale = locale;
    }

    public void roles(Set<String> roles) {
        this.roles.clear();
        this.roles.addAll(roles);
    }

    public void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** A new password (an admin's reset). */
    public void password(char[] password) {
        this.passwordHash = PasswordHash.hash(password);
    }

    public Instant createdAt() {
        return createdAt;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
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

    public boolean allPatients() {
        return allPatients;
    }

    public Set<String> patients() {
        return Set.copyOf(patients);
    }

    /** An admin's grant: every patient, or these. */
    public void patientGrant(boolean allPatients, Set<String> patients) {
        this.allPatients = allPatients;
        this.patients.clear();
        this.patients.addAll(patients);
    }
}
