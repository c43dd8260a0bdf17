-- API keys for system integrations (x-api-key): issued by an admin for one client, with scopes
-- that client may have and optionally one patient; the key itself is shown once, only its hash
-- is kept. A revoked key keeps its row (the audit trail names it) until an admin deletes the client.
create table api_key (
    id varchar(32) not null primary key,
    secret_hash varchar(64) not null,
    name varchar(200) not null,
    client_id varchar(255) not null,
    scope varchar(4000) not null,
    patient varchar(64),
    created_by varchar(255),
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    revoked_at timestamp with time zone,
    revoked_by varchar(255),
    last_used_at timestamp with time zone
);
create index ix_api_key_client on api_key (client_id);
