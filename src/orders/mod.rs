//! Orders: their rows and numbers, the customer's pages, and the unpaid-order expiry.

pub mod documents;
pub mod expiry;
pub mod invoices;
pub mod model;
pub mod pdf;
pub mod refund_rows;
pub mod refunds;
pub mod returns;
pub mod settle;
pub mod stats;
pub mod withdrawal_rows;
pub mod withdrawals;
pub mod workflow;
