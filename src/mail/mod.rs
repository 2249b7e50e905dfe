//! Email: templates rendered into the outbox (inside the caller's transaction), and the
//! background sender that delivers the outbox over SMTP, or into `.eml` files with no SMTP.

pub mod outbox;
pub mod sender;
pub mod templates;

pub use sender::MailWaker;
pub use templates::MailTemplates;

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
