-- Access tokens are valid by signature and lifetime; what takes one back is a revocation naming
-- its jti (T:), its grant (G:), its user (U:) or its user and client (C:), made at or after the
-- token was issued. access_token stays as the record admins list, and no longer says "revoked".
create table token_revocation (
    id varchar(300) not null primary key,
    revoked_at timestamp with time zone not null,
    expires_at timestamp with time zone not null
);
create index ix_token_revocation_expires on token_revocation (expires_at);

insert into token_revocation (id, revoked_at, expires_at)
    select 'T:' || jti, revoked_at, expires_at from access_token where revoked_at is not null;

alter table access_token drop column revoked_at;
create index ix_access_token_client on access_token (client_id, issued_at);
