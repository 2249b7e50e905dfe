-- Issue #25. The accessibility page (`/accessibilite`, European Accessibility Act) is a legal
-- page like the others: its CHECK is widened. Products say whether they are an
-- alcoholic beverage (code de la santé publique art. L3342-1 and L3323-4: the health mention
-- on their page, the buyer's declaration of age at checkout), and an order holding one keeps
-- when its buyer declared being of age (age_declarations).
ALTER TABLE legal_versions DROP CONSTRAINT legal_versions_page_check;
ALTER TABLE legal_versions ADD CONSTRAINT legal_versions_page_check
    CHECK (page IN ('legal_notice', 'terms', 'privacy', 'delivery', 'contact', 'accessibility'));
ALTER TABLE products ADD COLUMN alcoholic BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE age_declarations (
    order_id BIGINT PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    declared_at TIMESTAMP NOT NULL
);
