//! The back-office, staff only; grows by resource (products, orders, customers, …).

pub mod routes;

pub use routes::routes;
