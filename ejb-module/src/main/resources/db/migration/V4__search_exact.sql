-- :exact string searches compare value_exact: give them an index range of their own.
create index ix_fhir_idx_string_exact on fhir_idx_string (resource_type, param, value_exact);
