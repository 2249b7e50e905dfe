//! Comptoir: an online shop in one binary. `app::build` assembles it; `main.rs` is the CLI.

pub mod accounts;
pub mod address;
pub mod app;
pub mod audit;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod config;
pub mod db;
pub mod discounts;
pub mod error;
pub mod i18n;
pub mod legal;
pub mod mail;
pub mod money;
pub mod ops;
pub mod orders;
pub mod payments;
pub mod privacy;
pub mod seed;
pub mod shipping;
pub mod site;
pub mod templates;
pub mod text;
pub mod totals;
