-- Emails a visitor can make the shop send to an address they type (registration, account
-- links, back-in-stock confirmations): each request is kept a day, so the limits per client,
-- per address and for the whole shop in an hour are counted alike by every instance sharing
-- the database (issue #33).
CREATE TABLE mail_requests (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    -- The client's address, as the request log gives it (the trusted proxy's header when one
    -- is configured).
    client TEXT NOT NULL,
    -- SHA-256 of the normalised address: the address typed is not kept here.
    address_hash TEXT NOT NULL,
    -- sent: queued for delivery; held: queued to leave in an hour (the shop-wide ceiling);
    -- refused: not sent (the limit per address); throttled: not even looked at (the limit per
    -- client); none: nothing to send (an unknown address asking for a reset, say).
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'held', 'refused', 'throttled', 'none')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_requests_client ON mail_requests (client, created_at);
CREATE INDEX mail_requests_address ON mail_requests (address_hash, created_at);
CREATE INDEX mail_requests_at ON mail_requests (created_at);
