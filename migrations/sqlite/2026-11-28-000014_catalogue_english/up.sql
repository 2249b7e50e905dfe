-- The catalogue in English: names and descriptions of products and departments (empty: the
-- French text is shown), and what an English visitor's search matches (the English text, the
-- French where there is none), so far the French one.
ALTER TABLE products ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN search_text_en TEXT NOT NULL DEFAULT '';
UPDATE products SET search_text_en = search_text;
ALTER TABLE categories ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN description_en TEXT NOT NULL DEFAULT '';
