-- The addresses products and departments had before a rename, so that links and search
-- engines that still use them are answered with a 301 to the current address.
CREATE TABLE old_slugs (
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, slug)
);
