-- The id of the HTTP request an audit record belongs to (the X-Request-Id header and the logs carry it too).
alter table audit_event add column request_id varchar(64);
create index if not exists ix_audit_event_request on audit_event (request_id);
