-- Delinquency stages: a loan is decided again when it reaches the late stage (legal action becomes possible), and the
-- stage of every assignment is kept with it. Assignments made before stages have none.
ALTER TABLE assignment ADD COLUMN stage text CHECK (stage IN ('Early', 'Late'));

-- While a challenger runs, part of the experiment keeps exploring (StrategyAssignment:ExploringWithChallengerShare).
-- Loans drawn before this went to the challenger, as they did then.
ALTER TABLE loan_arm ADD COLUMN keeps_exploring boolean NOT NULL DEFAULT false;
