-- FHIR packages an admin loaded for validation (US Core, JP Core, an organisation's own profiles):
-- the package and its conformance resources (StructureDefinition, ValueSet, CodeSystem), which the
-- validator uses besides the R4 definitions it ships with. Loading a package again replaces it.
create table validation_package (
    name varchar(214) not null primary key,
    version varchar(64) not null,
    fhir_versions varchar(255) not null,
    resources integer not null,
    skipped integer not null,
    loaded_by varchar(255),
    loaded_at timestamp with time zone not null
);

create table conformance_resource (
    id varchar(36) not null primary key,
    package_name varchar(214) not null,
    resource_type varchar(64) not null,
    url varchar(1024) not null,
    version varchar(64),
    body varchar(10485760) not null
);
create index ix_conformance_resource_package on conformance_resource (package_name);
