-- R4 rest-hook Subscriptions. The Subscription resources are FHIR resources like any other; here
-- is who owns each (the backend client whose scopes its notifications are read with, as they are
-- now), and the notifications still to send: one row per subscription and resource version,
-- written in the transaction of the write that causes it, so that what was acknowledged is notified
-- after any restart; a node claims a row for a while before sending it.
create table subscription_owner (
    subscription_id varchar(64) not null primary key,
    client_id varchar(255) not null,
    scopes varchar(4000) not null,
    updated_at timestamp with time zone not null
);

create table subscription_delivery (
    id varchar(36) not null primary key,
    subscription_id varchar(64) not null,
    resource_type varchar(64) not null,
    resource_id varchar(64) not null,
    version_id bigint not null,
    created_at timestamp with time zone not null,
    attempts integer not null,
    next_attempt timestamp with time zone not null,
    claimed_by varchar(255),
    claimed_until timestamp with time zone,
    last_error varchar(1000)
);
create index ix_subscription_delivery_due on subscription_delivery (next_attempt);
