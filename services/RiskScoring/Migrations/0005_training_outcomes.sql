-- Which outcomes each retraining trained on: every outcome, or the live ones alone once there are enough of them.
ALTER TABLE promotion_decision ADD COLUMN training_outcomes text NOT NULL DEFAULT 'All';
