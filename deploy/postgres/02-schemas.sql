-- Per-database provisioning: one schema per service, owned by the service's role, and nothing else.
-- Needs the roles from 01-roles.sql. Idempotent; run as a superuser in the target database:
--   psql -v ON_ERROR_STOP=1 -d loanrecovery -f 02-schemas.sql
-- Tests apply it to the throw-away databases they create, through Npgsql: keep it plain SQL, no psql
-- meta-commands.
--
-- Each role's schema has the role's name, so the default search_path ("$user", public) resolves
-- unqualified names to the service's own schema.

DO $$
DECLARE
    service text;
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    FOREACH service IN ARRAY ARRAY['ingestion', 'segmentation', 'risk', 'strategy', 'performance'] LOOP
        -- TEMPORARY: bulk loads stage rows in session-private temporary tables (no other role can see them).
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), service);
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, service);
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', service, service);
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', service);
    END LOOP;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
