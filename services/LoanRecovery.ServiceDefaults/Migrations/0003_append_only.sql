-- Audit records are append-only. A table passed to make_append_only refuses UPDATE, DELETE and TRUNCATE from anyone
-- going through the service (its role owns the schema, so only a deliberate DDL change could lift this, and the
-- application never issues one). Statement-level, so the refusal does not depend on a row matching.
CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is an append-only audit record: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION make_append_only(audit_table regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change()', audit_table);
END
$$;
