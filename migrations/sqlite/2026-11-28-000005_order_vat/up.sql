-- What an order charged at each VAT rate, as the totals function computed it when the order
-- was placed; pages, emails, invoices and credit notes read it instead of computing again, so
-- a document issued once never changes.
CREATE TABLE order_vat (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    rate_bp INTEGER NOT NULL,
    gross_cents BIGINT NOT NULL,
    shipping_cents BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, rate_bp)
);

-- Orders placed before: their lines at their rates and their shipping at 20 %, as they were
-- charged (VAT rounded half up, as `VatRate::included_in` does).
INSERT INTO order_vat (order_id, rate_bp, gross_cents, shipping_cents, vat_cents)
SELECT order_id, rate_bp, SUM(gross), SUM(shipping),
       (SUM(gross) * rate_bp * 2 + (10000 + rate_bp)) / ((10000 + rate_bp) * 2)
FROM (
    SELECT order_id, vat_rate_bp AS rate_bp, line_total_cents AS gross, 0 AS shipping
    FROM order_lines WHERE line_total_cents > 0
    UNION ALL
    SELECT id, 2000, shipping_cents, shipping_cents FROM orders WHERE shipping_cents > 0
) AS charged
GROUP BY order_id, rate_bp;
