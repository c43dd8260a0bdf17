-- The trust model: what an admin decided about a client and a user, kept apart from what the
-- client itself registered (its RFC 7591 metadata), which a client may change on its own.

-- Beyond the registration policy of self-registered clients: grant types and scopes an admin
-- approved; the users (or role:<name>) a client may name as sub in the JWT bearer grant; whether
-- it may introspect other clients' tokens (a resource server).
alter table oauth_client add column approved_grant_types varchar(1000) default '' not null;
alter table oauth_client add column approved_scope varchar(4000) default '' not null;
alter table oauth_client add column jwt_bearer_subjects varchar(4000) default '' not null;
alter table oauth_client add column resource_server boolean default false not null;

-- The policy an initial access token gives the clients registered with it.
alter table initial_access_token add column approved_grant_types varchar(1000) default '' not null;
alter table initial_access_token add column approved_scope varchar(4000) default '' not null;

-- A user's reach besides their own fhirUser: every patient, or listed ones.
alter table bastion_user add column all_patients boolean default false not null;
create table bastion_user_patient (
    user_id varchar(36) not null,
    patient_id varchar(64) not null,
    primary key (user_id, patient_id),
    constraint fk_bastion_user_patient_user foreign key (user_id) references bastion_user (id)
);

-- A launch handle is for one client and one user, and is used once.
alter table launch_context add column client_id varchar(100);
alter table launch_context add column user_id varchar(36);
alter table launch_context add column used_at timestamp with time zone;

-- Ending everything of a user at once (disabled, deleted, password reset, role removed).
create index ix_refresh_token_user on refresh_token (user_id);
create index ix_access_token_subject on access_token (subject);
create index ix_login_session_user on login_session (user_id);
