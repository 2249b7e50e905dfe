//! Customer accounts: registration, login and logout, "my account", language preference.

pub mod addresses;
pub mod forms;
pub mod model;
pub mod routes;
pub mod staff;
pub mod throttle;
pub mod tokens;

pub use routes::routes;
