-- Cluster-wide provisioning: one LOGIN role per service and the `loanrecovery` database.
-- Idempotent; run as a superuser against any database:
--   psql -v ON_ERROR_STOP=1 -d postgres -f 01-roles.sql
-- docker-compose mounts this directory into /docker-entrypoint-initdb.d (files run in name order).
-- Passwords are the development defaults `<role>-dev`; production credentials come from elsewhere.

SELECT format('CREATE ROLE %I', r)
FROM unnest(ARRAY['ingestion', 'segmentation', 'risk', 'strategy', 'performance']) AS r
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r)
\gexec

SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD %L', r, r || '-dev')
FROM unnest(ARRAY['ingestion', 'segmentation', 'risk', 'strategy', 'performance']) AS r
\gexec

SELECT 'CREATE DATABASE loanrecovery'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'loanrecovery')
\gexec
