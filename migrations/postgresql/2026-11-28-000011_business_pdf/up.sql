-- Business buyers: an optional company name, SIREN or SIRET and intra-community VAT number,
-- given at checkout and printed on the invoice.
ALTER TABLE orders ADD COLUMN buyer_company TEXT;
ALTER TABLE orders ADD COLUMN buyer_siret TEXT;
ALTER TABLE orders ADD COLUMN buyer_vat_number TEXT;

-- Files an email carries (an invoice or a credit note as PDF), rendered when the email is
-- queued, in the same transaction as the document, so a resend attaches the same bytes.
CREATE TABLE email_attachments (
    id BIGSERIAL PRIMARY KEY,
    outbox_id BIGINT NOT NULL REFERENCES email_outbox (id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BYTEA NOT NULL
);
CREATE INDEX email_attachments_outbox ON email_attachments (outbox_id);
