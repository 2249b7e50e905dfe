//! Checkout: the details form, the review step, and placing the order in one transaction.

pub mod address_api;
pub mod business;
pub mod details;
pub mod service;
