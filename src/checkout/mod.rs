//! Checkout: the details form, the review step, and placing the order in one transaction.

pub mod address_api;
pub mod business;
pub mod forms;
pub mod places;
pub mod routes;
pub mod service;

pub use routes::routes;
