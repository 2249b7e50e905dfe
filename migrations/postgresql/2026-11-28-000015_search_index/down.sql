DROP INDEX products_category_name_en;
DROP INDEX products_category_featured;
DROP INDEX products_search_en_trgm;
DROP INDEX products_search_trgm;
