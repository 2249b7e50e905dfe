-- A real index for storefront search (issue #12): trigram GIN indexes (pg_trgm, in
-- PostgreSQL's contrib, shipped with Debian's server package) over the folded search keys, so
-- the "contains" search (LIKE '%…%') uses the index instead of reading every product.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_search_trgm ON products USING gin (search_text gin_trgm_ops);
CREATE INDEX products_search_en_trgm ON products USING gin (search_text_en gin_trgm_ops);

-- A department's related products (featured, then newest) and its listing sorted by English
-- name walk these instead of sorting the whole department.
CREATE INDEX products_category_featured ON products (category_id, active, featured, created_at, id);
CREATE INDEX products_category_name_en ON products (category_id, active, search_text_en);
