//! Comptoir: an online shop in one binary. `app::build` assembles it; `main.rs` is the CLI.

pub mod accounts;
pub mod admin;
pub mod app;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod db;
pub mod error;
pub mod money;
pub mod seed;
pub mod web;
