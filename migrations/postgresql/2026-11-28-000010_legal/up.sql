-- Legal pages written by the shop's admins: every edit is a new version, never changed or
-- deleted, so the terms a customer accepted (orders.terms_version holds the version's label)
-- stay readable word for word. The Markdown is kept with the sanitised HTML rendered from it.
CREATE TABLE legal_versions (
    id BIGSERIAL PRIMARY KEY,
    page TEXT NOT NULL CHECK (page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact')),
    version INTEGER NOT NULL,
    label TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    body_fr TEXT NOT NULL,
    html_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    html_en TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (page, version),
    UNIQUE (page, label)
);

CREATE FUNCTION legal_versions_are_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'legal versions cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER legal_versions_are_immutable BEFORE UPDATE OR DELETE ON legal_versions
FOR EACH ROW EXECUTE FUNCTION legal_versions_are_immutable();

-- A customer's withdrawal from a contract concluded online (the "withdraw from the contract
-- here" function): which lines, when, and the date by which the shop must refund.
CREATE TABLE withdrawals (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES orders (id) ON DELETE RESTRICT,
    items TEXT NOT NULL,
    comment TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    refund_by TIMESTAMP NOT NULL
);
