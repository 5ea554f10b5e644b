-- The arrears a payment left (PaymentRecorded.ArrearsAmount): an episode whose window ends with the arrears cleared is
-- fully recovered (the loan is current again), as a historical outcome is. Payments stored before this column have none.
ALTER TABLE payment ADD COLUMN arrears_amount numeric;
