-- Policy proposals and promotion decisions are the audit trail of policy changes: append-only, with actor and time.
-- Both are made by this service's evaluation, never by hand.
ALTER TABLE policy_proposal ADD COLUMN actor text NOT NULL DEFAULT 'performance-tracking';
ALTER TABLE policy_decision ADD COLUMN actor text NOT NULL DEFAULT 'performance-tracking';
SELECT make_append_only('policy_proposal');
SELECT make_append_only('policy_decision');
