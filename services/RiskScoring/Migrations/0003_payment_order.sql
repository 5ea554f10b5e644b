-- When the latest payment applied to a loan was recorded, so an older one consumed late does not overwrite it.
ALTER TABLE loan_snapshot ADD COLUMN last_payment_recorded_at timestamptz;
