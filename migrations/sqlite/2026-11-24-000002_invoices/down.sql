DROP TRIGGER invoices_are_kept;
DROP TRIGGER invoices_are_immutable;
DROP TABLE invoices;
DROP TABLE invoice_counters;
