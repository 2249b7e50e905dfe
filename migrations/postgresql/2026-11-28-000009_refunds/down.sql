DROP TABLE returned_items;
DROP TABLE refund_vat;
DROP TABLE refund_lines;
DROP TABLE refunds;
DROP INDEX invoices_one_per_order;
DROP INDEX invoices_order;
ALTER TABLE invoices DROP COLUMN buyer;
ALTER TABLE invoices DROP COLUMN seller;
-- Fails, as it should, once an order has several credit notes.
ALTER TABLE invoices ADD CONSTRAINT invoices_order_id_kind_key UNIQUE (order_id, kind);
