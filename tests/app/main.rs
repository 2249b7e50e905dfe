//! One integration binary: every test gets its own database (a SQLite file in a temporary
//! folder, or a fresh PostgreSQL database when COMPTOIR_TEST_POSTGRES names a server).

mod helpers;

mod accounts;
mod catalog;
mod db;
mod i18n;
mod security;
