package org.bastion.fhir.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.time.Instant;

/** One version of a resource, kept for vread and _history; a delete is a version too. */
@Entity
@Table(name = "fhir_resource_version")
public class ResourceVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "fhir_version_seq")
    @SequenceGenerator(name = "fhir_version_seq", sequenceName = "fhir_version_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "resource_pk", nullable = false)
    private Long resourcePk;

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
    private String method;

    @Column(nullable = false)
    private String body;

    protected ResourceVersion() {
    }

    public ResourceVersion(StoredResource current, String method) {
        this.resourcePk = current.pk();
        this.resourceType = current.resourceType();
        this.resourceId = current.resourceId();
        this.versionId = current.versionId();
        this.lastUpdated = current.lastUpdated();
        this.deleted = current.deleted();
        this.method = method;
        this.body = current.body();
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

    public String method() {
        return method;
    }

    public String body() {
        return body;
    }
}
