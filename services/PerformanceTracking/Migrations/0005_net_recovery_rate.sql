-- Promotion decides on the net recovery rate (net recovery ÷ opening balance) from here on: each arm's rate is kept, and
-- difference, difference_low, difference_high and p_value of later decisions are in percentage points of that rate
-- (before, net recovery per loan in currency units).
ALTER TABLE policy_decision ADD COLUMN challenger_net_rate double precision;
ALTER TABLE policy_decision ADD COLUMN champion_net_rate double precision;
