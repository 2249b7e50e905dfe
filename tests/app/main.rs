//! One integration binary: every test gets its own database (a SQLite file in a temporary
//! folder, or a fresh PostgreSQL database when COMPTOIR_TEST_POSTGRES names a server).

mod helpers;
mod process;
mod server;
mod smtp;

mod accounts;
mod address_api;
mod admin;
mod admin_catalog;
mod admin_staff;
mod alcohol;
mod backup;
mod catalog;
mod catalogue_en;
mod chrome;
mod concurrency;
mod db;
mod discounts;
mod documents;
mod e2e;
mod email_html;
mod fuzz;
mod i18n;
mod legal;
mod limits;
mod logs;
mod mail_limits;
mod orders;
mod page_cache;
mod payments;
mod refunds;
mod rough_edges;
mod routes;
mod screens;
mod security;
mod seo;
mod shipping;
mod shutdown;
mod stock_alerts;
mod stripe;
mod totals;
mod two_factor;
mod variants;
mod withdrawal;
mod xss;
