DROP TABLE old_slugs;
