-- Signing keys: the private JWK stays in the database so every node signs and verifies alike.
create table signing_key (
    kid varchar(100) not null primary key,
    algorithm varchar(16) not null,
    private_jwk varchar(8000) not null,
    created_at timestamp with time zone not null,
    retired_at timestamp with time zone
);

create table bastion_user (
    id varchar(36) not null primary key,
    username varchar(255) not null,
    password_hash varchar(255) not null,
    fhir_user varchar(255),
    locale varchar(16),
    enabled boolean not null,
    created_at timestamp with time zone not null,
    constraint uq_bastion_user_username unique (username)
);

create table bastion_user_role (
    user_id varchar(36) not null,
    role_name varchar(64) not null,
    primary key (user_id, role_name),
    constraint fk_bastion_user_role_user foreign key (user_id) references bastion_user (id)
);
