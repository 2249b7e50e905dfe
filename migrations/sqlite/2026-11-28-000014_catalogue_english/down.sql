ALTER TABLE categories DROP COLUMN description_en;
ALTER TABLE categories DROP COLUMN name_en;
ALTER TABLE products DROP COLUMN search_text_en;
ALTER TABLE products DROP COLUMN description_en;
ALTER TABLE products DROP COLUMN name_en;
