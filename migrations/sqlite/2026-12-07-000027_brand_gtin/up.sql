-- Issue #27: what identifies a product (General Product Safety Regulation (EU) 2023/988,
-- art. 19 b: its type and "any other product identifier"): its brand and its GTIN (EAN-13,
-- UPC-A, EAN-8 or GTIN-14, its check digit verified when typed). Empty: none.
ALTER TABLE products ADD COLUMN brand TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN gtin TEXT NOT NULL DEFAULT '';
