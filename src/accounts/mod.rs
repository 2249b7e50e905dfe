//! Customer accounts: registration, login and logout, "my account", language preference.

pub mod addresses;
pub mod forms;
pub mod gdpr;
pub mod model;
pub mod pages;
pub mod routes;
pub mod security;
pub mod security_routes;
pub mod staff;
pub mod throttle;
pub mod tokens;
pub mod two_factor;
pub mod two_factor_routes;

pub fn routes() -> Vec<rocket::Route> {
    let mut all = routes::routes();
    all.extend(security_routes::routes());
    all.extend(two_factor_routes::routes());
    all
}
