-- Issue #27: a line bought on sale keeps the reference price its reduction was announced
-- from (code de la consommation art. L112-1-1), which the order's page and email show
-- crossed out; none for a line at the product's own price.
ALTER TABLE order_lines ADD COLUMN reference_cents BIGINT;
