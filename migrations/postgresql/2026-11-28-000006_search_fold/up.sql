-- Search keys are folded with deunicode from this version on: DbConn::migrate computes every
-- product's key again in Rust when it applies this migration (SQL cannot transliterate).
SELECT 1;
