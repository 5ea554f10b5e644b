-- The delinquency stage of the assignment behind every episode (StrategyAssigned.Stage): outcomes are measured and
-- refined per stage, and an episode ends early when its loan reaches a later stage. Rows from before stages have none.
ALTER TABLE episode ADD COLUMN stage text CHECK (stage IN ('Early', 'Late'));
ALTER TABLE assignment ADD COLUMN stage text CHECK (stage IN ('Early', 'Late'));
