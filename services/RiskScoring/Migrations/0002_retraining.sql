-- Every retraining decision, promoted or not, with the out-of-time figures it was made on.
CREATE TABLE promotion_decision (
    decision_id        uuid PRIMARY KEY,
    challenger_version text NOT NULL REFERENCES risk_model (version),
    champion_version   text REFERENCES risk_model (version),
    trigger            text NOT NULL,
    decided_at         timestamptz NOT NULL,
    cutoff             timestamptz NOT NULL,
    training_rows      integer NOT NULL,
    holdout_rows       integer NOT NULL,
    challenger_auc     double precision NOT NULL,
    challenger_auc_low double precision NOT NULL,
    challenger_auc_high double precision NOT NULL,
    champion_auc       double precision,
    difference         double precision,
    difference_low     double precision,
    difference_high    double precision,
    promoted           boolean NOT NULL,
    reason             text NOT NULL
);
CREATE INDEX ix_promotion_decision_decided ON promotion_decision (decided_at);
