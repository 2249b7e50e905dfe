ALTER TABLE product_variants DROP COLUMN gtin;
DROP TRIGGER page_version_manufacturers_update;
DROP TRIGGER page_version_facts_delete;
DROP TRIGGER page_version_facts_update;
DROP TRIGGER page_version_facts_insert;
DROP TABLE product_facts;
DROP TABLE manufacturers;
