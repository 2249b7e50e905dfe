-- Variants (issue #15): a product has up to two options (size, colour…) and variants, each with
-- its SKU, an optional price and weight of its own, its own stock and pictures, on sale or not.
-- Every product has at least one variant: a product without options has one default variant
-- (no option values) that holds its stock. `products.stock` stays, as the sum of the stock of
-- its variants on sale, kept by `catalog::stock` in the transaction that moves a variant's
-- stock: listings filter and sort on it without a join.
ALTER TABLE products ADD COLUMN option1_name TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN option2_name TEXT NOT NULL DEFAULT '';
-- Grams, for shipping by weight; a variant may weigh something else.
ALTER TABLE products ADD COLUMN weight_grams INTEGER NOT NULL DEFAULT 0 CHECK (weight_grams >= 0);

CREATE TABLE product_variants (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku TEXT NOT NULL UNIQUE,
    option1 TEXT NOT NULL DEFAULT '',
    option2 TEXT NOT NULL DEFAULT '',
    price_cents BIGINT CHECK (price_cents IS NULL OR price_cents >= 0),
    weight_grams INTEGER CHECK (weight_grams IS NULL OR weight_grams >= 0),
    stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (product_id, option1, option2)
);
CREATE INDEX product_variants_product ON product_variants (product_id, position);

-- Existing products get their default variant, holding their stock.
INSERT INTO product_variants (product_id, sku, stock, active, position, created_at, updated_at)
SELECT id, upper(slug), stock, TRUE, 0, created_at, updated_at FROM products;

-- Cart lines hold a variant: one line per variant, no longer per product.
ALTER TABLE cart_lines ADD COLUMN variant_id BIGINT REFERENCES product_variants (id) ON DELETE CASCADE;
UPDATE cart_lines SET variant_id = (SELECT v.id FROM product_variants v WHERE v.product_id = cart_lines.product_id);
ALTER TABLE cart_lines ALTER COLUMN variant_id SET NOT NULL;
ALTER TABLE cart_lines DROP CONSTRAINT cart_lines_cart_id_product_id_key;
ALTER TABLE cart_lines ADD CONSTRAINT cart_lines_cart_id_variant_id_key UNIQUE (cart_id, variant_id);

-- An order line keeps which variant it was, and its SKU and option values as sold.
ALTER TABLE order_lines ADD COLUMN variant_id BIGINT REFERENCES product_variants (id) ON DELETE SET NULL;
ALTER TABLE order_lines ADD COLUMN variant_label TEXT NOT NULL DEFAULT '';
ALTER TABLE order_lines ADD COLUMN sku TEXT NOT NULL DEFAULT '';
UPDATE order_lines SET variant_id = v.id, sku = v.sku
FROM product_variants v WHERE v.product_id = order_lines.product_id;

-- Stock history per variant.
ALTER TABLE stock_movements ADD COLUMN variant_id BIGINT REFERENCES product_variants (id) ON DELETE CASCADE;
UPDATE stock_movements SET variant_id = v.id
FROM product_variants v WHERE v.product_id = stock_movements.product_id;
CREATE INDEX stock_movements_variant ON stock_movements (variant_id, created_at);

-- A picture may show one variant (the product page shows the chosen variant's first).
ALTER TABLE product_images ADD COLUMN variant_id BIGINT REFERENCES product_variants (id) ON DELETE SET NULL;

-- An alert may wait for one variant (none: the product, whichever variant comes back).
ALTER TABLE stock_alerts ADD COLUMN variant_id BIGINT REFERENCES product_variants (id) ON DELETE CASCADE;
DROP INDEX stock_alerts_waiting;
CREATE UNIQUE INDEX stock_alerts_waiting ON stock_alerts (product_id, COALESCE(variant_id, 0), email) WHERE notified_at IS NULL;

-- What the storefront shows changes with the variants (see 000016).
CREATE CONSTRAINT TRIGGER page_version_products_options AFTER UPDATE OF option1_name, option2_name, weight_grams ON products
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_product_variants AFTER INSERT OR DELETE OR UPDATE OF product_id, sku, option1, option2, price_cents, weight_grams, active, position ON product_variants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_product_variants_stock AFTER UPDATE OF stock ON product_variants
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (old.stock <> new.stock AND (old.stock <= 99 OR new.stock <= 99))
    EXECUTE FUNCTION page_version_bump();
