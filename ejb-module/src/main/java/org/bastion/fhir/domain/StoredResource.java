package org.bastion.fhir.domain;

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
public class StoredResource extends ResourceState {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "fhir_resource_seq")
    @SequenceGenerator(name = "fhir_resource_seq", sequenceName = "fhir_resource_seq", allocationSize = 50)
    private Long pk;

    protected StoredResource() {
    }

    public StoredResource(String resourceType, String resourceId) {
        this.resourceType = resourceType;
        this.resourceId = resourceId;
    }

    public Long pk() {
        return pk;
    }

    public void write(long versionId, String body, Instant lastUpdated, boolean deleted) {
        this.versionId = versionId;
        this.body = body;
        this.lastUpdated = lastUpdated;
        this.deleted = deleted;
    }
}
