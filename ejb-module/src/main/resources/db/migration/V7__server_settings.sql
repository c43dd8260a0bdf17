-- Settings an admin changed at run time (admin API); each overrides its environment variable.
create table server_setting (
    name varchar(100) not null primary key,
    setting_value varchar(1024) not null,
    updated_at timestamp with time zone not null,
    updated_by varchar(255)
);
