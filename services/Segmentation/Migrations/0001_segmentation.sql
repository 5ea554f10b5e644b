-- Each loan's segmentation figures, as opened and as the latest payment left them.
CREATE TABLE loan_position (
    loan_id          text PRIMARY KEY,
    borrower_id      text NOT NULL,
    monthly_income   numeric NOT NULL,
    loan_amount      numeric NOT NULL,
    collateral_value numeric NOT NULL,
    monthly_emi      numeric NOT NULL,
    outstanding      numeric NOT NULL,
    missed_payments  integer NOT NULL,
    days_past_due    integer NOT NULL,
    opened_at        timestamptz NOT NULL,
    last_payment_at  timestamptz,
    received_at      timestamptz NOT NULL
);
CREATE INDEX ix_loan_position_borrower ON loan_position (borrower_id);

-- Recovery outcomes (historical from imports, observed from PerformanceTracking), to profile segments.
CREATE TABLE recovery_outcome (
    outcome_id  uuid PRIMARY KEY,
    loan_id     text NOT NULL,
    borrower_id text NOT NULL,
    historical  boolean NOT NULL,
    status      text NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX ix_recovery_outcome_borrower ON recovery_outcome (borrower_id);

-- Fitted models; centroids are k × features, row-major, in the order of feature_names.
CREATE TABLE segment_model (
    version              text PRIMARY KEY,
    number               integer NOT NULL UNIQUE,
    k                    integer NOT NULL,
    silhouette           double precision,
    inertia              double precision NOT NULL,
    feature_names        text[] NOT NULL,
    means                double precision[] NOT NULL,
    scales               double precision[] NOT NULL,
    centroids            double precision[] NOT NULL,
    clustering_centroids double precision[] NOT NULL,
    labels               text[] NOT NULL,
    sizes                integer[] NOT NULL,
    label_basis          double precision[] NOT NULL,
    row_count            integer NOT NULL,
    seed                 integer NOT NULL,
    fitted_at            timestamptz NOT NULL,
    is_current           boolean NOT NULL
);
CREATE UNIQUE INDEX ux_segment_model_current ON segment_model (is_current) WHERE is_current;

-- Each borrower's current segment.
CREATE TABLE segment_assignment (
    borrower_id   text PRIMARY KEY,
    model_version text NOT NULL REFERENCES segment_model (version),
    segment_id    integer NOT NULL,
    segment_label text NOT NULL,
    assigned_at   timestamptz NOT NULL
);
CREATE INDEX ix_segment_assignment_segment ON segment_assignment (model_version, segment_id);
