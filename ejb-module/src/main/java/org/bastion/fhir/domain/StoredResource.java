package org.bastion.fhir.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * The current version of a FHIR resource, as JSON. Writers lock the row (select for update)
 * before writing, so two writers never both build on the same version.
 */
@Entity
@Table(name = "fhir_resource")
public class StoredResource {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "fhir_resource_seq")
    @SequenceGenerator(name = "fhir_resource_seq", sequenceName = "fhir_resource_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "resource_type", nullable = false)
    private String resourceType;

    @Column(name = "resource_id", nullable = false)
    private String resourceId;

    @Column(name = "version_id", nullable = false)
    private long versionId;

    @Column(name = "last_updated", nullable = false)
    private Instant lastUpdated;

    @Column(nullable = false)
    private boolean deleted;

    @Column(nullable = false)
    private String body;

    protected StoredResource() {
    }

    public StoredResource(String resourceType, String resourceId) {
        this.resourceType = resourceType;
        this.resourceId = resourceId;
    }

    public Long pk() {
        return pk;
    }

    public String resourceType() {
        return resourceType;
    }

    public String resourceId() {
        return resourceId;
    }

    public long versionId() {
        return versionId;
    }

    public Instant lastUpdated() {
        return lastUpdated;
    }

    public boolean deleted() {
        return deleted;
    }

    public String body() {
        return body;
    }

    public void write(long versionId, String body, Instant lastUpdated, boolean deleted) {
        this.versionId = versionId;
        this.body = body;
        this.lastUpdated = lastUpdated;
        this.deleted = deleted;
    }
}
