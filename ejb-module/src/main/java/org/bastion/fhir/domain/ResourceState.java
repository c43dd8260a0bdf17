package org.bastion.fhir.domain;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;

/** What a stored resource and each of its versions have alike: which resource, which version, when, and its JSON. */
@MappedSuperclass
public abstract class ResourceState {

    @Column(name = "resource_type", nullable = false)
    protected String resourceType;

    @Column(name = "resource_id", nullable = false)
    protected String resourceId;

    @Column(name = "version_id", nullable = false)
    protected long versionId;

    @Column(name = "last_updated", nullable = false)
    protected Instant lastUpdated;

    @Column(nullable = false)
    protected boolean deleted;

    @Column(nullable = false)
    protected String body;

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
}
