-- The id of the HTTP request an audit record belongs to (the X-Request-Id header and the logs carry it too).
alter table audit_event add column request_id varchar(64);
create index if not exists ix_audit_event_request on audit_event (request_id);

-- One row per If-None-Exist condition ever used (the SHA-256 of the type and the normalised query).
-- A conditional create locks its condition's row (select ... for update) before it searches, so two
-- creates with one condition, on one node or on two, run one after the other: the second finds what
-- the first created. The rows only serialise; whether a match exists is always the search's answer.
create table conditional_create (
    condition_key varchar(64) not null primary key,
    created_at timestamp with time zone not null
);
