DROP TRIGGER page_version_sales ON sales;
DROP TRIGGER price_history_product_price ON products;
DROP FUNCTION price_history_product_price();
DROP TRIGGER price_history_product_insert ON products;
DROP FUNCTION price_history_product_insert();
DROP TABLE price_history;
DROP TABLE sale_products;
DROP TABLE sales;
