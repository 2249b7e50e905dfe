DROP TABLE order_vat;
