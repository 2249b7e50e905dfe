ALTER TABLE order_lines DROP COLUMN reference_cents;
