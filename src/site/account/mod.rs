//! The customer's side: register, log in and out, my account and its security (email, password,
//! two-factor, sessions, data), my orders and an order's page, invoices, withdrawal.

pub mod access;
pub mod forms;
pub mod login;
pub mod orders;
pub mod pages;
pub mod security;
pub mod two_factor;
pub mod withdrawal;

pub fn routes() -> Vec<rocket::Route> {
    let mut all = login::routes();
    all.extend(security::routes());
    all.extend(two_factor::routes());
    all.extend(orders::routes());
    all.extend(withdrawal::routes());
    all
}
