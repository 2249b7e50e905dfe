DROP TABLE email_attachments;
ALTER TABLE orders DROP COLUMN buyer_vat_number;
ALTER TABLE orders DROP COLUMN buyer_siret;
ALTER TABLE orders DROP COLUMN buyer_company;
