-- Issue #27: a product's net quantity, from which its unit price is shown beside its price
-- (arrêté du 16 novembre 1999 relatif à l'information du consommateur sur les prix: the price
-- per kilogram or litre of pre-packaged goods sold by quantity). Kept in grams, millilitres
-- or pieces; none: not sold by quantity.
ALTER TABLE products ADD COLUMN net_quantity INTEGER CHECK (net_quantity IS NULL OR net_quantity > 0);
ALTER TABLE products ADD COLUMN net_unit TEXT CHECK (net_unit IS NULL OR net_unit IN ('g', 'ml', 'piece'));
