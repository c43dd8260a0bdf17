-- The FHIR repository: the current version of every resource, every version in history, and
-- search index rows filled from the search parameters R4 defines, in the same transaction.

create sequence fhir_resource_seq start with 1 increment by 50;
create sequence fhir_version_seq start with 1 increment by 50;

create table fhir_resource (
    pk bigint not null primary key,
    resource_type varchar(64) not null,
    resource_id varchar(64) not null,
    version_id bigint not null,
    last_updated timestamp with time zone not null,
    deleted boolean not null,
    body varchar(10485760) not null,
    constraint uq_fhir_resource unique (resource_type, resource_id)
);
create index ix_fhir_resource_updated on fhir_resource (resource_type, last_updated);

create table fhir_resource_version (
    pk bigint not null primary key,
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    resource_id varchar(64) not null,
    version_id bigint not null,
    last_updated timestamp with time zone not null,
    deleted boolean not null,
    method varchar(8) not null,
    body varchar(10485760) not null,
    constraint uq_fhir_resource_version unique (resource_pk, version_id)
);
create index ix_fhir_version_type_updated on fhir_resource_version (resource_type, last_updated);
create index ix_fhir_version_updated on fhir_resource_version (last_updated);

create table fhir_idx_string (
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    param varchar(100) not null,
    value_norm varchar(255) not null,
    value_exact varchar(255) not null
);
create index ix_fhir_idx_string on fhir_idx_string (resource_type, param, value_norm);
create index ix_fhir_idx_string_pk on fhir_idx_string (resource_pk);

create table fhir_idx_token (
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    param varchar(100) not null,
    token_system varchar(512),
    token_code varchar(255),
    token_text varchar(255)
);
create index ix_fhir_idx_token on fhir_idx_token (resource_type, param, token_code, token_system);
create index ix_fhir_idx_token_pk on fhir_idx_token (resource_pk);

create table fhir_idx_reference (
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    param varchar(100) not null,
    target_type varchar(64),
    target_id varchar(64),
    target_url varchar(1024)
);
create index ix_fhir_idx_reference on fhir_idx_reference (resource_type, param, target_id, target_type);
create index ix_fhir_idx_reference_target on fhir_idx_reference (target_type, target_id);
create index ix_fhir_idx_reference_pk on fhir_idx_reference (resource_pk);

create table fhir_idx_date (
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    param varchar(100) not null,
    value_low timestamp with time zone,
    value_high timestamp with time zone
);
create index ix_fhir_idx_date on fhir_idx_date (resource_type, param, value_low, value_high);
create index ix_fhir_idx_date_pk on fhir_idx_date (resource_pk);

create table fhir_idx_number (
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    param varchar(100) not null,
    value_low numeric(38, 10),
    value_high numeric(38, 10),
    unit_system varchar(512),
    unit_code varchar(255)
);
create index ix_fhir_idx_number on fhir_idx_number (resource_type, param, value_low);
create index ix_fhir_idx_number_pk on fhir_idx_number (resource_pk);

create table fhir_idx_uri (
    resource_pk bigint not null,
    resource_type varchar(64) not null,
    param varchar(100) not null,
    uri varchar(1024) not null
);
create index ix_fhir_idx_uri on fhir_idx_uri (resource_type, param, uri);
create index ix_fhir_idx_uri_pk on fhir_idx_uri (resource_pk);
