-- Identity providers whose access tokens the FHIR API accepts (an Okta-like IdP), registered by
-- an admin from their discovery document. Each token is verified with its own issuer's keys only.

create table external_issuer (
    issuer varchar(512) not null primary key,
    discovery_url varchar(1024) not null,
    jwks_uri varchar(1024) not null,
    audience varchar(1024),
    user_claim varchar(100) not null,
    patient_claim varchar(100) not null,
    metadata varchar(65536) not null,
    enabled boolean not null,
    created_at timestamp with time zone not null
);
