-- Files every instance must see live in the database, not on one machine's disk: the pictures
-- (original and thumbnail) with their rows, and CSV imports waiting for the staff's "apply".
-- Pictures stored on disk by earlier versions are read into these columns at start-up.
ALTER TABLE product_images ADD COLUMN data BLOB;
ALTER TABLE product_images ADD COLUMN thumb BLOB;
CREATE UNIQUE INDEX product_images_file_name ON product_images (file_name);

CREATE TABLE pending_imports (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
