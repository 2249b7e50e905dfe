-- Discount codes: a percentage, a fixed amount or free shipping, on the whole basket, one
-- department or chosen products, with a minimum basket, a period and usage limits. `uses` is
-- raised by a conditional UPDATE in the order's transaction, so a limit holds under load.
CREATE TABLE discount_codes (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('percent', 'amount', 'free_shipping')),
    -- Basis points for a percentage (1000 = 10 %), cents for an amount, 0 for free shipping.
    value BIGINT NOT NULL CHECK (value >= 0),
    scope TEXT NOT NULL CHECK (scope IN ('basket', 'category', 'products')),
    category_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
    min_basket_cents BIGINT NOT NULL DEFAULT 0 CHECK (min_basket_cents >= 0),
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    max_uses INTEGER CHECK (max_uses > 0),
    max_uses_per_customer INTEGER CHECK (max_uses_per_customer > 0),
    uses INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- An automatic promotion: applies to every basket it fits without being typed.
    automatic BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE discount_code_products (
    code_id BIGINT NOT NULL REFERENCES discount_codes (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (code_id, product_id)
);
-- One row per order that used a code: the per-customer limit counts them.
CREATE TABLE discount_redemptions (
    id BIGSERIAL PRIMARY KEY,
    code_id BIGINT NOT NULL REFERENCES discount_codes (id) ON DELETE CASCADE,
    order_id BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    discount_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX discount_redemptions_code_email ON discount_redemptions (code_id, email);
CREATE INDEX discount_redemptions_code_user ON discount_redemptions (code_id, user_id);
CREATE INDEX discount_redemptions_order ON discount_redemptions (order_id);
ALTER TABLE carts ADD COLUMN discount_code TEXT;
ALTER TABLE orders ADD COLUMN discount_code TEXT;
-- Each line's share of what the code took off, tax included (the order's discount is their
-- sum; free shipping shows as shipping at 0): the VAT per rate is computed on what is left.
ALTER TABLE order_lines ADD COLUMN discount_cents BIGINT NOT NULL DEFAULT 0;
