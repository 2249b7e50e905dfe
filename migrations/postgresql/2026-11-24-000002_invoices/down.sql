DROP TRIGGER invoices_are_immutable ON invoices;
DROP FUNCTION invoices_are_immutable();
DROP TABLE invoices;
DROP TABLE invoice_counters;
