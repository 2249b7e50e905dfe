DROP TABLE age_declarations;
ALTER TABLE products DROP COLUMN alcoholic;
CREATE TABLE legal_versions_new (
    id INTEGER PRIMARY KEY,
    page TEXT NOT NULL CHECK (page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact')),
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
INSERT INTO legal_versions_new SELECT * FROM legal_versions WHERE page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact');
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
