-- Shipping by weight and zone (issue #15): the shop's delivery methods, each serving one zone
-- (mainland France, Corsica, overseas departments, EU countries, elsewhere) and priced by
-- bands of the parcel's weight or of the basket's value; and the shop's pickup locations with
-- their opening hours. A shop with no method keeps the flat prices of its settings.
CREATE TABLE shipping_methods (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL CHECK (zone IN ('mainland', 'corsica', 'overseas', 'eu', 'world')),
    basis TEXT NOT NULL CHECK (basis IN ('weight', 'value')),
    express BOOLEAN NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
-- A band: up to `up_to` grams (or cents of goods) included, this price; none: any above.
CREATE TABLE shipping_rates (
    id INTEGER PRIMARY KEY,
    method_id BIGINT NOT NULL REFERENCES shipping_methods (id) ON DELETE CASCADE,
    up_to BIGINT CHECK (up_to IS NULL OR up_to > 0),
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0)
);
CREATE INDEX shipping_rates_method ON shipping_rates (method_id, up_to);

CREATE TABLE pickup_points (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    -- As staff write them, one line a day or period ("Mardi–samedi 10 h–19 h").
    hours TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    position INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);

-- How an order travels, as chosen: the method's name, or the pickup location with its
-- address and hours, copied so the order keeps them when the shop changes its own.
CREATE TABLE order_shipping (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    method_id BIGINT REFERENCES shipping_methods (id) ON DELETE SET NULL,
    pickup_point_id BIGINT REFERENCES pickup_points (id) ON DELETE SET NULL,
    label TEXT NOT NULL,
    pickup_hours TEXT NOT NULL DEFAULT '',
    weight_grams INTEGER NOT NULL
);
CREATE TRIGGER page_version_shipping_methods_insert AFTER INSERT ON shipping_methods BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shipping_methods_update AFTER UPDATE ON shipping_methods BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shipping_methods_delete AFTER DELETE ON shipping_methods BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shipping_rates_insert AFTER INSERT ON shipping_rates BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shipping_rates_update AFTER UPDATE ON shipping_rates BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_shipping_rates_delete AFTER DELETE ON shipping_rates BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_pickup_points_insert AFTER INSERT ON pickup_points BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_pickup_points_update AFTER UPDATE ON pickup_points BEGIN
    UPDATE page_version SET version = version + 1;
END;
CREATE TRIGGER page_version_pickup_points_delete AFTER DELETE ON pickup_points BEGIN
    UPDATE page_version SET version = version + 1;
END;
