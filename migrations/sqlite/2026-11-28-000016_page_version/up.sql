-- The version of what the storefront shows every visitor alike (issue #12): rendered pages are
-- cached per instance and kept only while this number stays the same. Triggers raise it on
-- every change to the catalogue, its pictures, departments, redirects, the shop's settings and
-- identity, and on a stock change customers can see (at or below 99: "only 3 left", the
-- quantity field's maximum, "sold out"); a sale of a product with plenty in stock leaves it.
CREATE TABLE page_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO page_version (id, version) VALUES (1, 1);

CREATE TRIGGER page_version_products_insert AFTER INSERT ON products BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_products_delete AFTER DELETE ON products BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_products_update AFTER UPDATE OF category_id, slug, name, description, search_text, price_cents, vat_rate_bp, active, featured, created_at, updated_at, name_en, description_en, search_text_en ON products BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_products_stock AFTER UPDATE OF stock ON products
WHEN old.stock <> new.stock AND (old.stock <= 99 OR new.stock <= 99) BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_categories_insert AFTER INSERT ON categories BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_categories_update AFTER UPDATE ON categories BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_categories_delete AFTER DELETE ON categories BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_product_images_insert AFTER INSERT ON product_images BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_product_images_update AFTER UPDATE ON product_images BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_product_images_delete AFTER DELETE ON product_images BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shop_settings_insert AFTER INSERT ON shop_settings BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shop_settings_update AFTER UPDATE ON shop_settings BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shop_settings_delete AFTER DELETE ON shop_settings BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shop_identity_insert AFTER INSERT ON shop_identity BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shop_identity_update AFTER UPDATE ON shop_identity BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shop_identity_delete AFTER DELETE ON shop_identity BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_legal_versions_insert AFTER INSERT ON legal_versions BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_legal_versions_update AFTER UPDATE ON legal_versions BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_legal_versions_delete AFTER DELETE ON legal_versions BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_old_slugs_insert AFTER INSERT ON old_slugs BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_old_slugs_update AFTER UPDATE ON old_slugs BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_old_slugs_delete AFTER DELETE ON old_slugs BEGIN
    UPDATE page_version SET version = version + 1;
END;
