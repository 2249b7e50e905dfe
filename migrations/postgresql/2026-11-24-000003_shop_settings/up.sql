-- Settings an admin changes from the back-office, laid over the configuration file's.
CREATE TABLE shop_settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
