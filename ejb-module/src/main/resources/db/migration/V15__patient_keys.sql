-- A patient's observations of one code (or of one period) are one index range: each token and date
-- row also names the patient its resource belongs to (the target of its "patient" reference), so
-- that patient=X&code=Y reads the rows of X and Y only, however many observations X or Y has.
-- A resource of several patients (Appointment, Provenance …) has its token and date rows once for
-- each of them; one of no patient has them once, with patient_id null.
alter table fhir_idx_token add column patient_id varchar(64);
alter table fhir_idx_date add column patient_id varchar(64);

update fhir_idx_token t set patient_id = (select min(x.target_id) from fhir_idx_reference x
    where x.resource_pk = t.resource_pk and x.param = 'patient' and x.target_type = 'Patient');
insert into fhir_idx_token (resource_pk, resource_type, param, token_system, token_code, token_text, patient_id)
    select t.resource_pk, t.resource_type, t.param, t.token_system, t.token_code, t.token_text, x.target_id
    from fhir_idx_token t join (select distinct resource_pk, target_id from fhir_idx_reference
        where param = 'patient' and target_type = 'Patient') x on x.resource_pk = t.resource_pk
    where x.target_id <> t.patient_id;

update fhir_idx_date t set patient_id = (select min(x.target_id) from fhir_idx_reference x
    where x.resource_pk = t.resource_pk and x.param = 'patient' and x.target_type = 'Patient');
insert into fhir_idx_date (resource_pk, resource_type, param, value_low, value_high, patient_id)
    select t.resource_pk, t.resource_type, t.param, t.value_low, t.value_high, x.target_id
    from fhir_idx_date t join (select distinct resource_pk, target_id from fhir_idx_reference
        where param = 'patient' and target_type = 'Patient') x on x.resource_pk = t.resource_pk
    where x.target_id <> t.patient_id;

create index ix_fhir_idx_token_patient on fhir_idx_token (patient_id, resource_type, param, token_code, token_system, resource_pk);
create index ix_fhir_idx_date_patient on fhir_idx_date (patient_id, resource_type, param, value_low, value_high, resource_pk);
