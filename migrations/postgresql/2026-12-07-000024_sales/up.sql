-- Issue #27: sales, and the price history that gives their reference price. Code de la
-- consommation art. L112-1-1: any announced price reduction shows as the prior price the
-- lowest price the shop applied in the 30 days before it; during successive reductions of one
-- sale, the price before the first. Every price a product had is kept here, written by the
-- triggers below whatever changes it (back-office, bulk edit, CSV import), and a sale's own
-- price is written by the clock (catalog::sales::tick) for the time it runs.
CREATE TABLE sales (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    -- Off each product's price, in basis points (2000 = 20 %); none: each has its own price.
    percent_bp INTEGER CHECK (percent_bp IS NULL OR (percent_bp > 0 AND percent_bp < 10000)),
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    -- The clock has seen it start (its prices written in the history), then end.
    applied BOOLEAN NOT NULL DEFAULT FALSE,
    closed BOOLEAN NOT NULL DEFAULT FALSE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX sales_applied ON sales (applied, starts_at);
CREATE INDEX sales_closed ON sales (closed, ends_at);

-- A product in a sale: its price then and its reference price (the lowest of the 30 days
-- before the sale starts). The sale's times are copied so that what is on sale now is one
-- indexed lookup; a product is in one sale at a time (checked when a sale is made).
CREATE TABLE sale_products (
    sale_id BIGINT NOT NULL REFERENCES sales (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    price_cents BIGINT NOT NULL CHECK (price_cents > 0),
    reference_cents BIGINT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    PRIMARY KEY (sale_id, product_id)
);
CREATE INDEX sale_products_now ON sale_products (product_id, ends_at);

CREATE TABLE price_history (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    price_cents BIGINT NOT NULL,
    -- The sale whose price this was; none: the product's own price.
    sale_id BIGINT REFERENCES sales (id) ON DELETE CASCADE,
    valid_from TIMESTAMP NOT NULL,
    valid_until TIMESTAMP
);
CREATE INDEX price_history_product ON price_history (product_id, valid_from);

-- The prices products have today, since they were created.
INSERT INTO price_history (product_id, price_cents, valid_from)
    SELECT id, price_cents, created_at FROM products;

CREATE FUNCTION price_history_product_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO price_history (product_id, price_cents, valid_from)
        VALUES (new.id, new.price_cents, new.created_at);
    RETURN NULL;
END;
$$;
CREATE TRIGGER price_history_product_insert AFTER INSERT ON products
    FOR EACH ROW EXECUTE FUNCTION price_history_product_insert();

CREATE FUNCTION price_history_product_price() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    at TIMESTAMP := clock_timestamp() AT TIME ZONE 'UTC';
BEGIN
    UPDATE price_history SET valid_until = at
        WHERE product_id = new.id AND sale_id IS NULL AND valid_until IS NULL;
    INSERT INTO price_history (product_id, price_cents, valid_from)
        VALUES (new.id, new.price_cents, at);
    RETURN NULL;
END;
$$;
CREATE TRIGGER price_history_product_price AFTER UPDATE OF price_cents ON products
    FOR EACH ROW WHEN (old.price_cents <> new.price_cents)
    EXECUTE FUNCTION price_history_product_price();

-- A sale made, started, ended or taken back changes what pages show.
CREATE CONSTRAINT TRIGGER page_version_sales AFTER INSERT OR UPDATE OR DELETE ON sales
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
