ALTER TABLE order_lines DROP COLUMN discount_cents;
ALTER TABLE orders DROP COLUMN discount_code;
ALTER TABLE carts DROP COLUMN discount_code;
DROP TABLE discount_redemptions;
DROP TABLE discount_code_products;
DROP TABLE discount_codes;
