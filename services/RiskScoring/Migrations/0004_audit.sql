-- Scores and promotion decisions are the audit trail of every risk decision: append-only, with actor and time.
-- A score is always made by this service (its model version is recorded beside it); a retraining decision by the
-- service itself or, through POST /api/models/retrain, by the analyst who asked for it.
ALTER TABLE score ADD COLUMN actor text NOT NULL DEFAULT 'risk-scoring';
ALTER TABLE promotion_decision ADD COLUMN actor text NOT NULL DEFAULT 'risk-scoring';
SELECT make_append_only('score');
SELECT make_append_only('promotion_decision');
