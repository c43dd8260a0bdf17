-- An API key an admin restricts to an organization: its patient/ scopes reach each patient whose
-- managingOrganization is that Organization (instead of one patient).
alter table api_key add column organization varchar(64);
