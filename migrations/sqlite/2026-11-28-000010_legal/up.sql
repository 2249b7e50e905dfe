-- Legal pages written by the shop's admins: every edit is a new version, never changed or
-- deleted, so the terms a customer accepted (orders.terms_version holds the version's label)
-- stay readable word for word. The Markdown is kept with the sanitised HTML rendered from it.
CREATE TABLE legal_versions (
    id INTEGER PRIMARY KEY,
    page TEXT NOT NULL CHECK (page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact')),
    version INTEGER NOT NULL,
    label TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    body_fr TEXT NOT NULL,
    html_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    html_en TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (page, version),
    UNIQUE (page, label)
);

CREATE TRIGGER legal_versions_are_immutable BEFORE UPDATE ON legal_versions
BEGIN
    SELECT RAISE(ABORT, 'legal versions cannot be changed');
END;

CREATE TRIGGER legal_versions_are_kept BEFORE DELETE ON legal_versions
BEGIN
    SELECT RAISE(ABORT, 'legal versions cannot be deleted');
END;

-- A customer's withdrawal from a contract concluded online (the "withdraw from the contract
-- here" function): which lines, when, and the date by which the shop must refund.
CREATE TABLE withdrawals (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE REFERENCES orders (id) ON DELETE RESTRICT,
    items TEXT NOT NULL,
    comment TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    refund_by TIMESTAMP NOT NULL
);
