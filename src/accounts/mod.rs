//! Customer accounts: registration, login and logout, "my account", language preference.

pub mod addresses;
pub mod login;
pub mod model;
pub mod security;
pub mod staff;
pub mod throttle;
pub mod tokens;
pub mod two_factor;
