DROP TRIGGER page_version_product_variants_stock;
DROP TRIGGER page_version_product_variants_update;
DROP TRIGGER page_version_product_variants_delete;
DROP TRIGGER page_version_product_variants_insert;
DROP TRIGGER page_version_products_options;
DROP INDEX stock_alerts_waiting;
ALTER TABLE stock_alerts DROP COLUMN variant_id;
CREATE UNIQUE INDEX stock_alerts_waiting ON stock_alerts (product_id, email) WHERE notified_at IS NULL;
ALTER TABLE product_images DROP COLUMN variant_id;
DROP INDEX stock_movements_variant;
ALTER TABLE stock_movements DROP COLUMN variant_id;
ALTER TABLE order_lines DROP COLUMN sku;
ALTER TABLE order_lines DROP COLUMN variant_label;
ALTER TABLE order_lines DROP COLUMN variant_id;
CREATE TABLE cart_lines_old (
    id INTEGER PRIMARY KEY,
    cart_id INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    added_at TIMESTAMP NOT NULL,
    UNIQUE (cart_id, product_id)
);
INSERT INTO cart_lines_old (cart_id, product_id, quantity, added_at)
SELECT cart_id, product_id, MIN(SUM(quantity), 99), MIN(added_at) FROM cart_lines GROUP BY cart_id, product_id;
DROP TABLE cart_lines;
ALTER TABLE cart_lines_old RENAME TO cart_lines;
DROP TABLE product_variants;
ALTER TABLE products DROP COLUMN weight_grams;
ALTER TABLE products DROP COLUMN option2_name;
ALTER TABLE products DROP COLUMN option1_name;
