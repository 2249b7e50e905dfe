-- Issue #27: who makes a product and what it holds, shown before purchase.
-- General Product Safety Regulation (EU) 2023/988, art. 19: the manufacturer's name or
-- trademark with a postal and an electronic address (a), the person responsible in the Union
-- when the manufacturer is outside it (c), what identifies the product (b: type, batch or
-- serial number) and its warnings or safety information in the customer's language (d).
-- Regulation (EU) 1169/2011 on food information, art. 9 and 14: a food sold at a distance
-- shows before purchase its ingredients with the allergens of Annex II emphasised, its
-- storage conditions, its origin where required, its alcoholic strength above 1.2 % vol and
-- its nutrition declaration per 100 g or 100 ml (art. 30 and 32).
--
-- An economic operator is entered once and chosen on many products: a manufacturer, or the
-- person responsible for it in the Union (art. 16 of 2023/988, art. 4 of 2019/1020).
CREATE TABLE manufacturers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- Its postal address, on several lines, and its country (ISO 3166-1 alpha-2).
    address TEXT NOT NULL,
    country TEXT NOT NULL,
    -- An electronic address: an email or the address of a contact form (one at least).
    email TEXT NOT NULL DEFAULT '',
    contact_url TEXT NOT NULL DEFAULT '',
    -- Outside the Union: its responsible person there (another row, in the Union).
    responsible_id INTEGER REFERENCES manufacturers (id) ON DELETE RESTRICT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX manufacturers_name ON manufacturers (name);

-- Nutrition values are per 100 g or 100 ml, in hundredths of a gram (salt is given to the
-- hundredth); energy in kJ and kcal; alcohol in tenths of a per cent by volume.
CREATE TABLE product_facts (
    product_id INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    manufacturer_id INTEGER REFERENCES manufacturers (id) ON DELETE RESTRICT,
    mpn TEXT NOT NULL DEFAULT '',
    batch TEXT NOT NULL DEFAULT '',
    warnings TEXT NOT NULL DEFAULT '',
    warnings_en TEXT NOT NULL DEFAULT '',
    food BOOLEAN NOT NULL DEFAULT 0,
    ingredients TEXT NOT NULL DEFAULT '',
    ingredients_en TEXT NOT NULL DEFAULT '',
    -- The allergen groups of Annex II it holds, one bit each (catalog::facts::ALLERGENS).
    allergens INTEGER NOT NULL DEFAULT 0 CHECK (allergens >= 0 AND allergens < 16384),
    energy_kj INTEGER CHECK (energy_kj >= 0),
    energy_kcal INTEGER CHECK (energy_kcal >= 0),
    fat_cg INTEGER CHECK (fat_cg >= 0),
    saturates_cg INTEGER CHECK (saturates_cg >= 0),
    carbohydrate_cg INTEGER CHECK (carbohydrate_cg >= 0),
    sugars_cg INTEGER CHECK (sugars_cg >= 0),
    protein_cg INTEGER CHECK (protein_cg >= 0),
    salt_cg INTEGER CHECK (salt_cg >= 0),
    storage TEXT NOT NULL DEFAULT '',
    storage_en TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    origin_en TEXT NOT NULL DEFAULT '',
    alcohol_tenths INTEGER CHECK (alcohol_tenths >= 0 AND alcohol_tenths <= 1000),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX product_facts_manufacturer ON product_facts (manufacturer_id);

-- What a product page shows changes with them.
CREATE TRIGGER page_version_facts_insert AFTER INSERT ON product_facts BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_facts_update AFTER UPDATE ON product_facts BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_facts_delete AFTER DELETE ON product_facts BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_manufacturers_update AFTER UPDATE ON manufacturers BEGIN
    UPDATE page_version SET version = version + 1;
END;

-- A variant may have a barcode of its own (each size or colour its GTIN); empty: the product's.
ALTER TABLE product_variants ADD COLUMN gtin TEXT NOT NULL DEFAULT '';
