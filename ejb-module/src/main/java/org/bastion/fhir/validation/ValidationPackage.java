package org.bastion.fhir.validation;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A FHIR package an admin loaded: its name and version, how many conformance resources it gave the validator. */
@Entity
@Table(name = "validation_package")
public class ValidationPackage {

    @Id
    private String name;

    @Column(nullable = false)
    private String version;

    @Column(name = "fhir_versions", nullable = false)
    private String fhirVersions;

    @Column(nullable = false)
    private int resources;

    @Column(nullable = false)
    private int skipped;

    @Column(name = "loaded_by")
    private String loadedBy;

    @Column(name = "loaded_at", nullable = false)
    private Instant loadedAt;

    protected ValidationPackage() {
    }

    public ValidationPackage(String name, String version, String fhirVersions, int resources, int skipped, String loadedBy, Instant loadedAt) {
        this.name = name;
        this.version = version;
        this.fhirVersions = fhirVersions;
        this.resources = resources;
        this.skipped = skipped;
        this.loadedBy = loadedBy;
        this.loadedAt = loadedAt;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String fhirVersions() {
        return fhirVersions;
    }

    /** The StructureDefinitions, ValueSets and CodeSystems the validator got from it. */
    public int resources() {
        return resources;
    }

    /** Its other JSON files (examples, other resource types), which the validator does not use. */
    public int skipped() {
        return skipped;
    }

    public String loadedBy() {
        return loadedBy;
    }

    public Instant loadedAt() {
        return loadedAt;
    }
}
