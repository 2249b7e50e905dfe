ALTER TABLE product_variants DROP COLUMN gtin;
DROP TRIGGER page_version_manufacturers ON manufacturers;
DROP TRIGGER page_version_facts ON product_facts;
DROP TABLE product_facts;
DROP TABLE manufacturers;
