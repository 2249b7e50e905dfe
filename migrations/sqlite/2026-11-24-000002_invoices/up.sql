-- Invoices and credit notes: numbered without gaps per year and kind, never changed or deleted.
CREATE TABLE invoice_counters (
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (year, kind)
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE RESTRICT,
    total_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    UNIQUE (order_id, kind)
);

CREATE TRIGGER invoices_are_immutable BEFORE UPDATE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'invoices cannot be changed');
END;

CREATE TRIGGER invoices_are_kept BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'invoices cannot be deleted');
END;
