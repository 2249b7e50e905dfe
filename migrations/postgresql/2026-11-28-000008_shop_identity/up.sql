-- Which secret the shop's data was made with (a fingerprint, not the secret): every instance
-- sharing this database must be configured with the same one, or sessions, signed links and
-- passwords break in turns. An instance with another secret refuses to start.
CREATE TABLE shop_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret_fingerprint TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
