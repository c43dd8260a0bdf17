-- The authorization server's state: everything a flow needs between two requests lives here,
-- so several nodes on one database behave as one server.

create table oauth_client (
    client_id varchar(100) not null primary key,
    secret_hash varchar(100),
    metadata varchar(20000) not null,
    registration_token_hash varchar(100),
    dynamic boolean not null,
    enabled boolean not null,
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null
);

-- Descriptions shown on the consent page; a scope not listed here gets a generated description.
create table oauth_scope (
    name varchar(255) not null primary key,
    description_en varchar(1000) not null,
    description_ja varchar(1000)
);

-- An /authorize request between the redirect to the login page and the code.
create table authorization_request (
    id varchar(64) not null primary key,
    client_id varchar(100) not null,
    parameters varchar(8000) not null,
    csrf varchar(64) not null,
    user_id varchar(36),
    auth_time timestamp with time zone,
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null
);

create table login_session (
    id_hash varchar(64) not null primary key,
    user_id varchar(36) not null,
    auth_time timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    constraint fk_login_session_user foreign key (user_id) references bastion_user (id)
);

create table consent (
    user_id varchar(36) not null,
    client_id varchar(100) not null,
    scope varchar(4000) not null,
    granted_at timestamp with time zone not null,
    primary key (user_id, client_id),
    constraint fk_consent_user foreign key (user_id) references bastion_user (id)
);

-- Codes and refresh tokens are stored as SHA-256 hashes; a grant groups what one code led to.
create table authorization_code (
    code_hash varchar(64) not null primary key,
    client_id varchar(100) not null,
    user_id varchar(36) not null,
    redirect_uri varchar(2000) not null,
    scope varchar(4000) not null,
    code_challenge varchar(128),
    nonce varchar(512),
    auth_time timestamp with time zone not null,
    patient varchar(100),
    encounter varchar(100),
    grant_id varchar(36) not null,
    expires_at timestamp with time zone not null,
    used_at timestamp with time zone
);

create table refresh_token (
    token_hash varchar(64) not null primary key,
    grant_id varchar(36) not null,
    client_id varchar(100) not null,
    user_id varchar(36),
    scope varchar(4000) not null,
    auth_time timestamp with time zone,
    patient varchar(100),
    encounter varchar(100),
    issued_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    used_at timestamp with time zone,
    revoked_at timestamp with time zone
);
create index ix_refresh_token_grant on refresh_token (grant_id);

-- Every access token issued, by jti: introspection and revocation read it.
create table access_token (
    jti varchar(64) not null primary key,
    grant_id varchar(36),
    client_id varchar(100) not null,
    subject varchar(255) not null,
    scope varchar(4000) not null,
    issued_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    revoked_at timestamp with time zone
);
create index ix_access_token_grant on access_token (grant_id);

-- Client assertion jti values seen (RFC 7523 §3 item 7), kept until the assertion expires.
create table used_assertion (
    client_id varchar(100) not null,
    jti varchar(255) not null,
    expires_at timestamp with time zone not null,
    primary key (client_id, jti)
);

alter table bastion_user add column failed_logins integer default 0 not null;
alter table bastion_user add column locked_until timestamp with time zone;

-- An EHR launch (SMART App Launch 2 §2.0.4): the opaque launch handle and the context it stands for.
create table launch_context (
    handle varchar(64) not null primary key,
    patient varchar(100),
    encounter varchar(100),
    created_by varchar(36),
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null
);

-- Initial access tokens (RFC 7591 §3): what an admin hands out so that apps can register themselves.
create table initial_access_token (
    token_hash varchar(64) not null primary key,
    created_by varchar(36),
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null,
    remaining_uses integer not null
);
