-- Searches are led by the index rows of their most selective parameter (r.pk in (select
-- resource_pk from ...)), so the indexes must answer each such lookup from its leading columns.

-- A reference's target leads: a patient's resources of one type (reference searches, the Patient
-- compartment, _has and _revinclude), each an equality on the first columns, on H2 too (H2 uses
-- an IN list only on an index's first column).
drop index ix_fhir_idx_reference;
drop index ix_fhir_idx_reference_target;
create index ix_fhir_idx_reference_target on fhir_idx_reference (target_id, target_type, resource_type, param, resource_pk);

-- _id=a,b,c and the checks of which of a few resources a token may see look resources up by id.
create index ix_fhir_resource_id on fhir_resource (resource_id);

-- An open period end is stored as the beginning or the end of time, so that date searches compare
-- plain, indexed columns.
update fhir_idx_date set value_low = timestamp with time zone '0001-01-01 00:00:00+00:00' where value_low is null;
update fhir_idx_date set value_high = timestamp with time zone '9999-12-31 23:59:59+00:00' where value_high is null;

-- The other parameters of a search are checked on the lead's rows, each an EXISTS correlated on
-- the resource's key: with the key, the parameter and the type in one index, H2 seeks it instead of
-- ranging over the parameter's values (its cost model prefers the index with more equal columns).
drop index ix_fhir_idx_string_pk;
create index ix_fhir_idx_string_pk on fhir_idx_string (resource_pk, param, resource_type);
drop index ix_fhir_idx_token_pk;
create index ix_fhir_idx_token_pk on fhir_idx_token (resource_pk, param, resource_type);
drop index ix_fhir_idx_reference_pk;
create index ix_fhir_idx_reference_pk on fhir_idx_reference (resource_pk, param, resource_type);
drop index ix_fhir_idx_date_pk;
create index ix_fhir_idx_date_pk on fhir_idx_date (resource_pk, param, resource_type);
drop index ix_fhir_idx_number_pk;
create index ix_fhir_idx_number_pk on fhir_idx_number (resource_pk, param, resource_type);
drop index ix_fhir_idx_uri_pk;
create index ix_fhir_idx_uri_pk on fhir_idx_uri (resource_pk, param, resource_type);
