package org.bastion.fhir.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One version of a resource, kept for vread and _history; a delete is a version too. */
@Entity
@Table(name = "fhir_resource_version")
public class ResourceVersion extends ResourceState {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "fhir_version_seq")
    @SequenceGenerator(name = "fhir_version_seq", sequenceName = "fhir_version_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "resource_pk", nullable = false)
    private Long resourcePk;

    @Column(nullable = false)
    private String method;

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

    public String method() {
        return method;
    }
}
