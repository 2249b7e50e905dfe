DROP TABLE age_declarations;
ALTER TABLE products DROP COLUMN alcoholic;
ALTER TABLE legal_versions DROP CONSTRAINT legal_versions_page_check;
ALTER TABLE legal_versions ADD CONSTRAINT legal_versions_page_check
    CHECK (page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact')) NOT VALID;
