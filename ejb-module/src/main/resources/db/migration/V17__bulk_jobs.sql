-- Bulk data jobs ($export, later $import): what was asked, by which client, how far the job got
-- and which node runs it. The batch runtime (JBeret, JBatch) runs the steps; this row is what
-- decides: a job resumes from its position here after a restart, on whichever node takes it.
create table bulk_job (
    id varchar(36) not null primary key,
    kind varchar(16) not null,
    status varchar(16) not null,
    client_id varchar(255) not null,
    scopes varchar(4000) not null,
    request_url varchar(8000) not null,
    parameters varchar(1048576) not null,
    transaction_time timestamp with time zone not null,
    created_at timestamp with time zone not null,
    finished_at timestamp with time zone,
    expires_at timestamp with time zone,
    -- the node running the job and its last sign of life: another node takes a job whose
    -- heartbeat is older than the lease, the one holding it gives it up when it finds it lost
    node varchar(255),
    heartbeat timestamp with time zone,
    execution_id bigint,
    -- the position (the unit being read, the last key written) and each file's lines and bytes, as JSON
    progress varchar(1048576) not null,
    processed bigint not null,
    message varchar(4000)
);
create index ix_bulk_job_client on bulk_job (client_id, created_at);
create index ix_bulk_job_status on bulk_job (status, heartbeat);
