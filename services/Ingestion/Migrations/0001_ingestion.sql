-- Amounts are unconstrained numeric: the lender's figures are kept to the precision they were sent with.
CREATE TABLE borrower (
    borrower_id     text PRIMARY KEY,
    age             integer NOT NULL,
    gender          text NOT NULL,
    employment_type text NOT NULL,
    monthly_income  numeric NOT NULL,
    num_dependents  integer NOT NULL,
    created_at      timestamptz NOT NULL
);

CREATE TABLE loan (
    loan_id                text PRIMARY KEY,
    borrower_id            text NOT NULL REFERENCES borrower (borrower_id),
    loan_amount            numeric NOT NULL,
    loan_tenure_months     integer NOT NULL,
    interest_rate          numeric NOT NULL,
    loan_type              text NOT NULL,
    collateral_value       numeric NOT NULL,
    initial_outstanding    numeric NOT NULL,
    monthly_emi            numeric NOT NULL,
    opened_on              date,
    outstanding_balance    numeric NOT NULL,
    arrears_amount         numeric NOT NULL,
    oldest_unpaid_due_date date,
    days_past_due          integer NOT NULL,
    missed_payments        integer NOT NULL,
    payment_history        text,
    source                 text NOT NULL,
    import_id              uuid,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL
);
CREATE INDEX ix_loan_borrower ON loan (borrower_id);

CREATE TABLE payment (
    payment_id             text PRIMARY KEY,
    loan_id                text NOT NULL REFERENCES loan (loan_id),
    due_date               date NOT NULL,
    amount_due             numeric NOT NULL,
    amount_paid            numeric NOT NULL,
    paid_on                date,
    days_past_due_after    integer NOT NULL,
    missed_payments_after  integer NOT NULL,
    arrears_after          numeric NOT NULL,
    outstanding_after      numeric NOT NULL,
    source                 text NOT NULL,
    recorded_at            timestamptz NOT NULL
);
CREATE INDEX ix_payment_loan ON payment (loan_id, due_date);

CREATE TABLE import_run (
    import_id   uuid PRIMARY KEY,
    file_name   text,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    rows_read   integer NOT NULL DEFAULT 0,
    accepted    integer NOT NULL DEFAULT 0,
    unchanged   integer NOT NULL DEFAULT 0,
    rejected    integer NOT NULL DEFAULT 0,
    status      text NOT NULL,
    error       text
);

CREATE TABLE import_rejection (
    import_id   uuid NOT NULL REFERENCES import_run (import_id),
    row_number  integer NOT NULL,
    column_name text NOT NULL,
    reason      text NOT NULL,
    PRIMARY KEY (import_id, row_number, column_name)
);

-- Outcomes recorded in the lender's history (Recovery_Status and the collection columns of an import).
CREATE TABLE historical_outcome (
    loan_id             text PRIMARY KEY REFERENCES loan (loan_id),
    recovery_status     text NOT NULL,
    collection_attempts integer NOT NULL,
    collection_method   text NOT NULL,
    legal_action_taken  boolean NOT NULL,
    import_id           uuid NOT NULL REFERENCES import_run (import_id)
);
