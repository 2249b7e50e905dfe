ALTER TABLE products DROP COLUMN net_unit;
ALTER TABLE products DROP COLUMN net_quantity;
