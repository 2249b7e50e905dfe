//! The cart: anonymous (bound to a cookie) or a customer's, merged on login; totals with VAT.

pub mod model;

pub mod count;
pub use model::CartOwner;
