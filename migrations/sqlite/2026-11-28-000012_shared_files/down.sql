DROP TABLE pending_imports;
DROP INDEX product_images_file_name;
ALTER TABLE product_images DROP COLUMN thumb;
ALTER TABLE product_images DROP COLUMN data;
