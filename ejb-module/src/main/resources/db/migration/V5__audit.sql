-- The audit trail: every FHIR request and every token request, who, what, when, from where and
-- how it ended; read by admins as FHIR AuditEvent resources.

create sequence audit_event_seq start with 1 increment by 50;

create table audit_event (
    pk bigint not null primary key,
    recorded timestamp with time zone not null,
    category varchar(16) not null,
    action varchar(32) not null,
    method varchar(8) not null,
    path varchar(1024) not null,
    query varchar(2048),
    resource_type varchar(64),
    resource_id varchar(64),
    outcome integer not null,
    detail varchar(1024),
    subject varchar(255),
    client_id varchar(255),
    issuer varchar(512),
    source varchar(64)
);
create index ix_audit_recorded on audit_event (recorded);
create index ix_audit_subject on audit_event (subject, recorded);
create index ix_audit_client on audit_event (client_id, recorded);
create index ix_audit_resource on audit_event (resource_type, resource_id, recorded);
