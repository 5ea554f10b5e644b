-- A champion that no longer ranks recent outcomes better than chance is withdrawn: it stays champion until a challenger
-- passes, but its scores are marked not usable (strategies follow their rules). Its own gate verdict is kept as it was.
ALTER TABLE risk_model ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE risk_model ADD COLUMN withdrawn_reason text;
