-- Partial refunds and returns. An order may now have several credit notes (one per refund),
-- still one invoice; each document keeps the buyer as it was when it was issued, so erasing a
-- customer's account later leaves issued invoices as the law requires them kept.

-- The one-per-kind constraint goes (still one invoice per order); the buyer (JSON) is filled from the
-- orders as they are now, with the immutability trigger lifted for that one statement.
ALTER TABLE invoices DROP CONSTRAINT invoices_order_id_kind_key;
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE INDEX invoices_order ON invoices (order_id);
ALTER TABLE invoices ADD COLUMN buyer TEXT NOT NULL DEFAULT '';
-- The seller as the settings said at issue (JSON); empty for documents issued before.
ALTER TABLE invoices ADD COLUMN seller TEXT NOT NULL DEFAULT '';
ALTER TABLE invoices DISABLE TRIGGER invoices_are_immutable;
UPDATE invoices i SET buyer = json_build_object('name', o.ship_name, 'street', o.ship_street,
    'postal_code', o.ship_postal_code, 'city', o.ship_city, 'country', o.ship_country,
    'email', o.email)::text
FROM orders o WHERE o.id = i.order_id;
ALTER TABLE invoices ENABLE TRIGGER invoices_are_immutable;
ALTER TABLE invoices ALTER COLUMN buyer DROP DEFAULT;
ALTER TABLE invoices ALTER COLUMN seller DROP DEFAULT;

-- A refund: chosen lines, part of the shipping and/or an amount, given back once (one per
-- submitted form: request_key). Pending while the payment provider is asked; its credit note
-- is issued when it succeeds. A failed one frees the balance it held.
CREATE TABLE refunds (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
    request_key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    total_cents BIGINT NOT NULL CHECK (total_cents > 0),
    shipping_cents BIGINT NOT NULL CHECK (shipping_cents >= 0),
    amount_cents BIGINT NOT NULL CHECK (amount_cents >= 0),
    -- Cancelling a paid order before it ships: the goods go back on sale with the money.
    cancels BOOLEAN NOT NULL DEFAULT FALSE,
    reason TEXT NOT NULL,
    provider_refund_id TEXT,
    error TEXT,
    credit_note_id BIGINT REFERENCES invoices (id),
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    UNIQUE (order_id, request_key)
);
CREATE INDEX refunds_pending ON refunds (status, created_at);

CREATE TABLE refund_lines (
    refund_id BIGINT NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    order_line_id BIGINT NOT NULL REFERENCES order_lines (id) ON DELETE RESTRICT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    total_cents BIGINT NOT NULL,
    PRIMARY KEY (refund_id, order_line_id)
);

-- What a refund gives back at each VAT rate (the totals function's split), as its credit note
-- states it.
CREATE TABLE refund_vat (
    refund_id BIGINT NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    rate_bp INTEGER NOT NULL,
    gross_cents BIGINT NOT NULL,
    shipping_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    PRIMARY KEY (refund_id, rate_bp)
);

-- Credit notes issued before: each was a whole-order refund.
INSERT INTO refunds (order_id, request_key, status, total_cents, shipping_cents, amount_cents,
                     reason, credit_note_id, created_at, completed_at)
SELECT i.order_id, 'whole-order', 'succeeded', -i.total_cents, o.shipping_cents, 0, '', i.id,
       i.issued_at, i.issued_at
FROM invoices i JOIN orders o ON o.id = i.order_id
WHERE i.kind = 'credit_note' AND i.total_cents < 0;
INSERT INTO refund_lines (refund_id, order_line_id, quantity, total_cents)
SELECT r.id, l.id, l.quantity, l.line_total_cents
FROM refunds r JOIN order_lines l ON l.order_id = r.order_id;
INSERT INTO refund_vat (refund_id, rate_bp, gross_cents, shipping_cents, vat_cents)
SELECT r.id, v.rate_bp, v.gross_cents, v.shipping_cents, v.vat_cents
FROM refunds r JOIN order_vat v ON v.order_id = r.order_id;

-- Goods a customer sent back, line by line: how many, in what state, put back on sale or not.
CREATE TABLE returned_items (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
    order_line_id BIGINT NOT NULL REFERENCES order_lines (id) ON DELETE RESTRICT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    condition TEXT NOT NULL CHECK (condition IN ('as_new', 'opened', 'damaged')),
    restocked BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX returned_items_order ON returned_items (order_id);
