-- The version of what the storefront shows every visitor alike (issue #12): rendered pages are
-- cached per instance and kept only while this number stays the same. Triggers raise it on
-- every change to the catalogue, its pictures, departments, redirects, the shop's settings and
-- identity, and on a stock change customers can see (at or below 99: "only 3 left", the
-- quantity field's maximum, "sold out"); a sale of a product with plenty in stock leaves it.
--
-- On PostgreSQL the triggers are deferred to the commit (constraint triggers): the version row
-- is then the last lock a transaction takes, after its products' rows, so two orders cannot
-- deadlock on it.
CREATE TABLE page_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO page_version (id, version) VALUES (1, 1);

CREATE FUNCTION page_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE page_version SET version = version + 1;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER page_version_products_insert AFTER INSERT ON products
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_products_delete AFTER DELETE ON products
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_products_update AFTER UPDATE OF category_id, slug, name, description, search_text, price_cents, vat_rate_bp, active, featured, created_at, updated_at, name_en, description_en, search_text_en ON products
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_products_stock AFTER UPDATE OF stock ON products
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (old.stock <> new.stock AND (old.stock <= 99 OR new.stock <= 99))
    EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_categories AFTER INSERT OR UPDATE OR DELETE ON categories
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_product_images AFTER INSERT OR UPDATE OR DELETE ON product_images
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_shop_settings AFTER INSERT OR UPDATE OR DELETE ON shop_settings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_shop_identity AFTER INSERT OR UPDATE OR DELETE ON shop_identity
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_legal_versions AFTER INSERT OR UPDATE OR DELETE ON legal_versions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
CREATE CONSTRAINT TRIGGER page_version_old_slugs AFTER INSERT OR UPDATE OR DELETE ON old_slugs
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_version_bump();
