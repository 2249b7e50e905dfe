DROP TRIGGER page_version_sales_delete;
DROP TRIGGER page_version_sales_update;
DROP TRIGGER page_version_sales_insert;
DROP TRIGGER price_history_product_price;
DROP TRIGGER price_history_product_insert;
DROP TABLE price_history;
DROP TABLE sale_products;
DROP TABLE sales;
