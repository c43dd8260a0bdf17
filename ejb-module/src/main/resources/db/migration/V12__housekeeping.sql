-- Housekeeping: expired flow state, tokens and sessions are deleted in batches every 5 minutes,
-- by one node at a time, and each run is recorded.

-- Who runs housekeeping now: taken with one conditional update (expired, or already ours), so of
-- several nodes only one holds it; the holder renews it after each batch and lets it go at the end.
create table housekeeping_lease (
    name varchar(64) not null primary key,
    holder varchar(255),
    expires_at timestamp with time zone not null
);
insert into housekeeping_lease (name, holder, expires_at) values ('housekeeping', null, current_timestamp);

-- One row a run, with the rows it deleted from each table.
create table housekeeping_run (
    id varchar(36) not null primary key,
    node varchar(255) not null,
    started_by varchar(255) not null,
    started_at timestamp with time zone not null,
    finished_at timestamp with time zone not null,
    outcome varchar(16) not null,
    detail varchar(1024)
);
create index if not exists ix_housekeeping_run_started on housekeeping_run (started_at);

create table housekeeping_run_deleted (
    run_id varchar(36) not null,
    table_name varchar(64) not null,
    deleted bigint not null,
    primary key (run_id, table_name),
    constraint fk_housekeeping_run_deleted_run foreign key (run_id) references housekeeping_run (id) on delete cascade
);

-- The columns the batches select on.
create index if not exists ix_authorization_request_expires on authorization_request (expires_at);
create index if not exists ix_authorization_code_expires on authorization_code (expires_at);
create index if not exists ix_launch_context_expires on launch_context (expires_at);
create index if not exists ix_access_token_expires on access_token (expires_at);
create index if not exists ix_refresh_token_expires on refresh_token (expires_at);
create index if not exists ix_refresh_token_revoked on refresh_token (revoked_at);
create index if not exists ix_used_assertion_expires on used_assertion (expires_at);
create index if not exists ix_login_session_expires on login_session (expires_at);
