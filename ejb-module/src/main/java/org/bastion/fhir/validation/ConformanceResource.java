package org.bastion.fhir.validation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A StructureDefinition, ValueSet or CodeSystem of a loaded package, as the package had it (JSON). */
@Entity
@Table(name = "conformance_resource")
public class ConformanceResource {

    @Id
    private String id;

    @Column(name = "package_name", nullable = false)
    private String packageName;

    @Column(name = "resource_type", nullable = false)
    private String resourceType;

    @Column(nullable = false)
    private String url;

    private String version;

    @Column(nullable = false)
    private String body;

    protected ConformanceResource() {
    }

    public ConformanceResource(String id, String packageName, String resourceType, String url, String version, String body) {
        this.id = id;
        this.packageName = packageName;
        this.resourceType = resourceType;
        this.url = url;
        this.version = version;
        this.body = body;
    }

    public String packageName() {
        return packageName;
    }

    public String resourceType() {
        return resourceType;
    }

    public String url() {
        return url;
    }

    public String body() {
        return body;
    }
}
