-- Policies are data: versioned documents, and which one is champion / challenger (switchable without a restart).
CREATE TABLE policy (
    version     text PRIMARY KEY,
    sequence    serial UNIQUE,
    kind        text NOT NULL,
    document    jsonb NOT NULL,
    description text NOT NULL,
    source      text NOT NULL,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE policy_role (
    role       text PRIMARY KEY CHECK (role IN ('champion', 'challenger')),
    version    text NOT NULL REFERENCES policy (version),
    changed_by text NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Compliance facts no event carries; owned here and set through the API.
CREATE TABLE borrower_compliance (
    borrower_id   text PRIMARY KEY,
    time_zone     text,
    cease_contact boolean NOT NULL,
    dispute       boolean NOT NULL,
    bankruptcy    boolean NOT NULL,
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- The champion/challenger draw, once per loan.
CREATE TABLE loan_arm (
    loan_id       text PRIMARY KEY,
    in_experiment boolean NOT NULL,
    drawn_at      timestamptz NOT NULL
);

-- Every score received (the key that makes a redelivered or re-published score a no-op).
CREATE TABLE score (
    score_id      uuid PRIMARY KEY,
    loan_id       text NOT NULL,
    borrower_id   text NOT NULL,
    probability   double precision NOT NULL,
    band          text NOT NULL,
    model_version text NOT NULL,
    model_usable  boolean NOT NULL,
    features      jsonb NOT NULL,
    effect        text NOT NULL,
    scored_at     timestamptz NOT NULL,
    received_at   timestamptz NOT NULL
);
CREATE INDEX ix_score_loan ON score (loan_id, received_at);

CREATE TABLE assignment (
    assignment_id  uuid PRIMARY KEY,
    loan_id        text NOT NULL,
    borrower_id    text NOT NULL,
    strategy       text NOT NULL,
    band           text NOT NULL,
    rule_based     boolean NOT NULL,
    arm            text NOT NULL,
    policy_version text NOT NULL,
    source         text NOT NULL,
    score_id       uuid NOT NULL,
    probability    double precision NOT NULL,
    model_version  text NOT NULL,
    priority       numeric NOT NULL,
    actions        jsonb NOT NULL,
    reasons        jsonb NOT NULL,
    plan           jsonb,
    facts          jsonb NOT NULL,
    active         boolean NOT NULL,
    assigned_at    timestamptz NOT NULL,
    ended_at       timestamptz,
    ended_reason   text
);
-- A loan never has two active strategies.
CREATE UNIQUE INDEX ux_assignment_active_loan ON assignment (loan_id) WHERE active;
CREATE INDEX ix_assignment_loan ON assignment (loan_id, assigned_at);

CREATE TABLE collection_task (
    task_id           uuid PRIMARY KEY,
    assignment_id     uuid NOT NULL REFERENCES assignment (assignment_id),
    loan_id           text NOT NULL,
    borrower_id       text NOT NULL,
    strategy          text NOT NULL,
    kind              text NOT NULL,
    is_contact        boolean NOT NULL,
    description       text NOT NULL,
    priority          numeric NOT NULL,
    due_at            timestamptz NOT NULL,
    not_before        timestamptz NOT NULL,
    compliance_reason text,
    status            text NOT NULL,
    assignee          text,
    claimed_at        timestamptz,
    outcome           text,
    note              text,
    promised_date     date,
    amount            numeric,
    completed_at      timestamptz,
    promise_state     text,
    promise_checked_at timestamptz,
    follow_up_of      uuid,
    cancelled_reason  text,
    created_at        timestamptz NOT NULL,
    version           integer NOT NULL
);
CREATE INDEX ix_collection_task_queue ON collection_task (status, priority DESC, due_at);
CREATE INDEX ix_collection_task_loan ON collection_task (loan_id, created_at);
CREATE INDEX ix_collection_task_borrower_contacts ON collection_task (borrower_id, not_before) WHERE is_contact;
CREATE INDEX ix_collection_task_promises ON collection_task (promise_state) WHERE promise_state = 'Pending';

-- Officers' overrides: append-only. The trigger makes it so for every role, the owner included.
CREATE TABLE override_audit (
    id                  bigserial PRIMARY KEY,
    loan_id             text NOT NULL,
    from_assignment_id  uuid,
    from_strategy       text,
    to_assignment_id    uuid NOT NULL,
    requested_strategy  text NOT NULL,
    assigned_strategy   text NOT NULL,
    reason              text NOT NULL CHECK (length(btrim(reason)) > 0),
    officer             text NOT NULL CHECK (length(btrim(officer)) > 0),
    at                  timestamptz NOT NULL
);
CREATE INDEX ix_override_audit_loan ON override_audit (loan_id, at);

CREATE FUNCTION override_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'override_audit is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER override_audit_no_update BEFORE UPDATE OR DELETE ON override_audit
    FOR EACH ROW EXECUTE FUNCTION override_audit_append_only();
CREATE TRIGGER override_audit_no_truncate BEFORE TRUNCATE ON override_audit
    FOR EACH STATEMENT EXECUTE FUNCTION override_audit_append_only();

-- Payments seen, to tell kept promises from broken ones.
CREATE TABLE payment (
    payment_id  text PRIMARY KEY,
    loan_id     text NOT NULL,
    amount_paid numeric NOT NULL,
    paid_on     date,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX ix_payment_loan ON payment (loan_id, paid_on);
