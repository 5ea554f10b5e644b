-- A row that can never be published (its type no longer exists, its body does not read) is set aside with the reason
-- instead of blocking every row after it.
ALTER TABLE outbox_message ADD COLUMN failed_at timestamptz;
ALTER TABLE outbox_message ADD COLUMN failure text;
DROP INDEX IF EXISTS ix_outbox_message_unsent;
CREATE INDEX ix_outbox_message_unsent ON outbox_message (sequence_number) WHERE sent_at IS NULL AND failed_at IS NULL;
