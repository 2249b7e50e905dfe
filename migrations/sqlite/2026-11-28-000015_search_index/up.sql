-- A real index for storefront search (issue #12): an FTS5 table with the trigram tokenizer over
-- the folded search keys, so "contains" searches use the index instead of reading every
-- product. It holds no copy of the text (external content: the products table) and triggers
-- keep it in step with every insert, key change and delete.
CREATE VIRTUAL TABLE products_search USING fts5(
    search_text, search_text_en,
    content = 'products', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO products_search (products_search) VALUES ('rebuild');

CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_search (rowid, search_text, search_text_en)
    VALUES (new.id, new.search_text, new.search_text_en);
END;

CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_search (products_search, rowid, search_text, search_text_en)
    VALUES ('delete', old.id, old.search_text, old.search_text_en);
END;

CREATE TRIGGER products_search_update AFTER UPDATE OF search_text, search_text_en ON products BEGIN
    INSERT INTO products_search (products_search, rowid, search_text, search_text_en)
    VALUES ('delete', old.id, old.search_text, old.search_text_en);
    INSERT INTO products_search (rowid, search_text, search_text_en)
    VALUES (new.id, new.search_text, new.search_text_en);
END;

-- A department's related products (featured, then newest) and its listing sorted by English
-- name walk these instead of sorting the whole department.
CREATE INDEX products_category_featured ON products (category_id, active, featured, created_at, id);
CREATE INDEX products_category_name_en ON products (category_id, active, search_text_en);
