ALTER TABLE pickup_points DROP COLUMN hours_en;
ALTER TABLE products DROP COLUMN option2_name_en;
ALTER TABLE products DROP COLUMN option1_name_en;
