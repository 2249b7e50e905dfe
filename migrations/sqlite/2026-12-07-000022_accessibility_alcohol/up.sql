-- Issue #25. The accessibility page (`/accessibilite`, European Accessibility Act) is a legal
-- page like the others: SQLite cannot widen a CHECK in place, so legal_versions is rebuilt
-- (its rows, immutability and page-cache triggers kept). Products say whether they are an
-- alcoholic beverage (code de la santé publique art. L3342-1 and L3323-4: the health mention
-- on their page, the buyer's declaration of age at checkout), and an order holding one keeps
-- when its buyer declared being of age (age_declarations).
CREATE TABLE legal_versions_new (
    id INTEGER PRIMARY KEY,
    page TEXT NOT NULL CHECK (page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact', 'accessibility')),
    version INTEGER NOT NULL,
    label TEXT NOT NULL,
    title_fr TEXT NOT NULL,
    body_fr TEXT NOT NULL,
    html_fr TEXT NOT NULL,
    title_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    html_en TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (page, version),
    UNIQUE (page, label)
);
INSERT INTO legal_versions_new SELECT * FROM legal_versions WHERE page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact', 'accessibility');
DROP TABLE legal_versions;
ALTER TABLE legal_versions_new RENAME TO legal_versions;

CREATE TRIGGER legal_versions_are_immutable BEFORE UPDATE ON legal_versions
BEGIN
    SELECT RAISE(ABORT, 'legal versions cannot be changed');
END;
CREATE TRIGGER legal_versions_are_kept BEFORE DELETE ON legal_versions
BEGIN
    SELECT RAISE(ABORT, 'legal versions cannot be deleted');
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

ALTER TABLE products ADD COLUMN alcoholic BOOLEAN NOT NULL DEFAULT 0;
CREATE TABLE age_declarations (
    order_id INTEGER PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    declared_at TIMESTAMP NOT NULL
);
