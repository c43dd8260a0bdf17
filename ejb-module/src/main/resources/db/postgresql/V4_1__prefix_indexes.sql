-- PostgreSQL uses a btree index for LIKE 'prefix%' only under the C collation or with the
-- pattern operator classes; string, token :text and uri :below searches are such prefixes.
create index ix_fhir_idx_string_prefix on fhir_idx_string (resource_type, param, value_norm varchar_pattern_ops);
create index ix_fhir_idx_token_text on fhir_idx_token (resource_type, param, token_text varchar_pattern_ops);
create index ix_fhir_idx_uri_prefix on fhir_idx_uri (resource_type, param, uri varchar_pattern_ops);
