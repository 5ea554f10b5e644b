-- What RiskScoring knows of each loan: its features' inputs now, and the features it had when it entered the
-- system (the decision-time snapshot historical outcomes are trained on).
CREATE TABLE loan_snapshot (
    loan_id             text PRIMARY KEY,
    borrower_id         text NOT NULL,
    age                 integer,
    employment_type     text,
    monthly_income      numeric,
    num_dependents      integer,
    loan_amount         numeric,
    loan_tenure_months  integer,
    interest_rate       numeric,
    loan_type           text,
    collateral_value    numeric,
    outstanding_balance numeric,
    monthly_emi         numeric,
    payment_history     text,
    missed_payments     integer,
    days_past_due       integer,
    initial_features    jsonb NOT NULL,
    opened_at           timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX ix_loan_snapshot_borrower ON loan_snapshot (borrower_id);

CREATE TABLE borrower_segment (
    borrower_id   text PRIMARY KEY,
    segment_id    integer NOT NULL,
    segment_label text NOT NULL,
    model_version text NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- Observed outcomes: the training data. Features are null for historical outcomes (taken from the snapshot).
CREATE TABLE training_example (
    outcome_id          uuid PRIMARY KEY,
    loan_id             text NOT NULL,
    historical          boolean NOT NULL,
    status              text NOT NULL,
    not_fully_recovered boolean NOT NULL,
    features            jsonb,
    recorded_at         timestamptz NOT NULL,
    received_at         timestamptz NOT NULL
);
CREATE INDEX ix_training_example_received ON training_example (received_at);

-- Model registry: every trained model, its evidence, and which one is champion.
CREATE TABLE risk_model (
    version           text PRIMARY KEY,
    sequence          serial UNIQUE,
    kind              text NOT NULL,
    trained_at        timestamptz NOT NULL,
    window_from       timestamptz NOT NULL,
    window_to         timestamptz NOT NULL,
    training_rows     integer NOT NULL,
    positive_rate     double precision NOT NULL,
    feature_schema    jsonb NOT NULL,
    metrics           jsonb NOT NULL,
    reliability       jsonb NOT NULL,
    global_importance jsonb NOT NULL,
    usable            boolean NOT NULL,
    gate_reason       text NOT NULL,
    model_file        text NOT NULL,
    is_champion       boolean NOT NULL DEFAULT false,
    promoted_at       timestamptz
);
CREATE UNIQUE INDEX ux_risk_model_one_champion ON risk_model (is_champion) WHERE is_champion;

-- Every score, with the input snapshot and model version it came from (audit). One per loan and payment.
CREATE TABLE score (
    score_id       uuid PRIMARY KEY,
    loan_id        text NOT NULL,
    borrower_id    text NOT NULL,
    payment_id     text NOT NULL,
    probability    double precision NOT NULL,
    band           text NOT NULL,
    reasons        jsonb NOT NULL,
    contributions  jsonb NOT NULL,
    features       jsonb NOT NULL,
    expected_value double precision NOT NULL,
    raw_score      double precision NOT NULL,
    model_version  text NOT NULL,
    model_usable   boolean NOT NULL,
    segment_id     integer,
    segment_label  text,
    scored_at      timestamptz NOT NULL,
    UNIQUE (loan_id, payment_id)
);
