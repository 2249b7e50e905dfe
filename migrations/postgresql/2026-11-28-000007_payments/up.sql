-- A card order's payment at the provider: written with the order (pending, no intent yet),
-- then given the provider's id once it exists. One per order.
CREATE TABLE payments (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    intent_id TEXT UNIQUE,
    client_secret TEXT,
    amount_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled', 'flagged')),
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX payments_status ON payments (status, created_at);

-- Every webhook event once: a replay is acknowledged and ignored.
CREATE TABLE payment_events (
    id BIGSERIAL PRIMARY KEY,
    provider TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    order_id BIGINT REFERENCES orders (id) ON DELETE SET NULL,
    outcome TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    UNIQUE (provider, event_id)
);
CREATE INDEX payment_events_order ON payment_events (order_id);
