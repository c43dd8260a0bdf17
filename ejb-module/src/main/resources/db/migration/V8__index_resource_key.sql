-- Each search parameter is an EXISTS over an index table, correlated on the resource's key. With
-- the key as the last column of each index, that check is one index seek on every database
-- (H2 otherwise walks all rows of the parameter's value for each resource it considers).

drop index ix_fhir_idx_string;
create index ix_fhir_idx_string on fhir_idx_string (resource_type, param, value_norm, resource_pk);
drop index ix_fhir_idx_string_exact;
create index ix_fhir_idx_string_exact on fhir_idx_string (resource_type, param, value_exact, resource_pk);
drop index ix_fhir_idx_token;
create index ix_fhir_idx_token on fhir_idx_token (resource_type, param, token_code, token_system, resource_pk);
drop index ix_fhir_idx_reference;
create index ix_fhir_idx_reference on fhir_idx_reference (resource_type, param, target_id, target_type, resource_pk);
drop index ix_fhir_idx_date;
create index ix_fhir_idx_date on fhir_idx_date (resource_type, param, value_low, value_high, resource_pk);
drop index ix_fhir_idx_number;
create index ix_fhir_idx_number on fhir_idx_number (resource_type, param, value_low, resource_pk);
drop index ix_fhir_idx_uri;
create index ix_fhir_idx_uri on fhir_idx_uri (resource_type, param, uri, resource_pk);
