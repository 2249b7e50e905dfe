//! Comptoir: an online shop in one binary. `app::build` assembles it; `main.rs` is the CLI.

pub mod accounts;
pub mod admin;
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
pub mod legal;
pub mod mail;
pub mod money;
pub mod ops;
pub mod orders;
pub mod payments;
pub mod seed;
pub mod shipping;
pub mod text;
pub mod totals;
pub mod web;
