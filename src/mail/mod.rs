//! Email: messages rendered (`crate::templates`) into the outbox inside the caller's
//! transaction, and the sender that delivers the outbox over SMTP, or into `.eml` files with no
//! SMTP.

pub mod limits;
pub mod outbox;
pub mod sender;

pub use sender::MailWaker;
