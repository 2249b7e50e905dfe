-- Back-in-stock alerts: an address waiting for a product to be on sale again. A visitor's
-- address is confirmed by a link first (double opt-in); a signed-in customer's is confirmed at
-- once. Each alert is sent once: notified_at is set in the transaction that queues its email.
CREATE TABLE stock_alerts (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    locale TEXT NOT NULL,
    token_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    notified_at TIMESTAMP
);
-- One waiting alert per address and product.
CREATE UNIQUE INDEX stock_alerts_waiting ON stock_alerts (product_id, email) WHERE notified_at IS NULL;
-- What the background task looks for: confirmed alerts not sent yet.
CREATE INDEX stock_alerts_due ON stock_alerts (product_id) WHERE notified_at IS NULL AND confirmed_at IS NOT NULL;
CREATE UNIQUE INDEX stock_alerts_token ON stock_alerts (token_hash);
CREATE INDEX stock_alerts_user ON stock_alerts (user_id);
