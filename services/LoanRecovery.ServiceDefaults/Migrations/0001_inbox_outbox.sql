-- Inbox: a message id is processed once per consumer (MassTransit's InboxState design).
CREATE TABLE inbox_state (
    message_id  uuid        NOT NULL,
    consumer_id text        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, consumer_id)
);
CREATE INDEX ix_inbox_state_received_at ON inbox_state (received_at);

-- Outbox: events committed with the change that caused them, published in sequence order by the relay.
CREATE TABLE outbox_message (
    sequence_number bigserial   PRIMARY KEY,
    message_id      uuid        NOT NULL UNIQUE,
    message_type    text        NOT NULL,
    body            jsonb       NOT NULL,
    trace_parent    text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX ix_outbox_message_unsent ON outbox_message (sequence_number) WHERE sent_at IS NULL;
CREATE INDEX ix_outbox_message_sent_at ON outbox_message (sent_at) WHERE sent_at IS NOT NULL;
