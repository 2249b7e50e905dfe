-- Issue #26: what a product calls its options ("Taille" → "Size") and a pickup location's
-- opening hours, in English. Empty: the French is shown. An order keeps the hours in the
-- language it was placed in (order_shipping.pickup_hours), as it keeps the method's name.
ALTER TABLE products ADD COLUMN option1_name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN option2_name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE pickup_points ADD COLUMN hours_en TEXT NOT NULL DEFAULT '';
