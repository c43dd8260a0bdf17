-- Sign-in throttling, per account name (user:<name>, known or not) and per source address
-- (ip:<address>): failures in the window and until when the next attempt must wait.
create table sign_in_throttle (
    throttle_key varchar(300) not null primary key,
    failures integer not null,
    last_failure timestamp with time zone not null,
    blocked_until timestamp with time zone
);
create index ix_sign_in_throttle_last on sign_in_throttle (last_failure);

-- The audit trail names the token a request used (its jti) and the event's outcome code.
alter table audit_event add column token_id varchar(255);

-- The per-user lock it replaces (anyone could lock anyone out for an hour).
alter table bastion_user drop column failed_logins;
alter table bastion_user drop column locked_until;
