-- Partial refunds and returns. An order may now have several credit notes (one per refund),
-- still one invoice; each document keeps the buyer as it was when it was issued, so erasing a
-- customer's account later leaves issued invoices as the law requires them kept.

-- SQLite cannot drop a table constraint: the invoices table is rebuilt without
-- UNIQUE (order_id, kind), with a buyer column (JSON: name, street, postal_code, city, country,
-- email) filled from the orders as they are now, and a seller column (JSON, as the settings
-- said at issue; empty for documents issued before, which show the settings in force).
DROP TRIGGER invoices_are_immutable;
DROP TRIGGER invoices_are_kept;
CREATE TABLE invoices_new (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
    total_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    buyer TEXT NOT NULL,
    seller TEXT NOT NULL
);
INSERT INTO invoices_new (id, number, kind, order_id, total_cents, vat_cents, issued_at, buyer,
                          seller)
SELECT i.id, i.number, i.kind, i.order_id, i.total_cents, i.vat_cents, i.issued_at,
       json_object('name', o.ship_name, 'street', o.ship_street,
                   'postal_code', o.ship_postal_code, 'city', o.ship_city,
                   'country', o.ship_country, 'email', o.email),
       ''
FROM invoices i JOIN orders o ON o.id = i.order_id;
DROP TABLE invoices;
ALTER TABLE invoices_new RENAME TO invoices;
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE INDEX invoices_order ON invoices (order_id);

CREATE TRIGGER invoices_are_immutable BEFORE UPDATE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'invoices cannot be changed');
END;

CREATE TRIGGER invoices_are_kept BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'invoices cannot be deleted');
END;

-- A refund: chosen lines, part of the shipping and/or an amount, given back once (one per
-- submitted form: request_key). Pending while the payment provider is asked; its credit note
-- is issued when it succeeds. A failed one frees the balance it held.
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
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
    credit_note_id INTEGER REFERENCES invoices (id),
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP,
    UNIQUE (order_id, request_key)
);
CREATE INDEX refunds_pending ON refunds (status, created_at);

CREATE TABLE refund_lines (
    refund_id INTEGER NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id) ON DELETE RESTRICT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    total_cents BIGINT NOT NULL,
    PRIMARY KEY (refund_id, order_line_id)
);

-- What a refund gives back at each VAT rate (the totals function's split), as its credit note
-- states it.
CREATE TABLE refund_vat (
    refund_id INTEGER NOT NULL REFERENCES refunds (id) ON DELETE CASCADE,
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
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id) ON DELETE RESTRICT,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    condition TEXT NOT NULL CHECK (condition IN ('as_new', 'opened', 'damaged')),
    restocked BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX returned_items_order ON returned_items (order_id);
