-- The audit trail of strategy decisions: append-only, with actor and time.
-- Policies are immutable versioned documents. Overrides were append-only row by row (0001); the shared statement-level
-- guard also refuses a statement that matches no row, the same way for every audit table.
SELECT make_append_only('policy');
DROP TRIGGER override_audit_no_update ON override_audit;
DROP TRIGGER override_audit_no_truncate ON override_audit;
DROP FUNCTION override_audit_append_only();
SELECT make_append_only('override_audit');

-- Which policy is champion or challenger changes in place (policy_role); every change is also recorded here.
CREATE TABLE policy_role_change (
    change_id  bigserial PRIMARY KEY,
    role       text NOT NULL CHECK (role IN ('champion', 'challenger')),
    version    text REFERENCES policy (version),   -- null: the role was cleared
    actor      text NOT NULL CHECK (length(btrim(actor)) > 0),
    changed_at timestamptz NOT NULL
);
SELECT make_append_only('policy_role_change');
INSERT INTO policy_role_change (role, version, actor, changed_at)
SELECT role, version, changed_by, changed_at FROM policy_role;

-- An assignment is a decision with a life cycle: it is ended once (superseded, overridden, closed) and otherwise never
-- changes, and it is never deleted. Its actor is the service, or the officer for an override (override_audit).
ALTER TABLE assignment ADD COLUMN actor text NOT NULL DEFAULT 'strategy-assignment';
CREATE FUNCTION guard_assignment_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'assignment is an audit record: DELETE is not allowed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (to_jsonb(NEW) - ARRAY['active', 'ended_at', 'ended_reason']) IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['active', 'ended_at', 'ended_reason'])
       OR (OLD.ended_at IS NOT NULL AND to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD))
       OR (NEW.active AND NOT OLD.active) THEN
        RAISE EXCEPTION 'assignment is an audit record: only ending an active assignment is allowed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER assignment_audit BEFORE UPDATE OR DELETE ON assignment FOR EACH ROW EXECUTE FUNCTION guard_assignment_decision();
CREATE TRIGGER assignment_no_truncate BEFORE TRUNCATE ON assignment FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change();
