//! Checkout: the details form, the review step and the confirmation; then the card payment
//! page, its return page and the provider's webhook.

pub mod form;
pub mod payment;
pub mod steps;

pub fn routes() -> Vec<rocket::Route> {
    let mut all = steps::routes();
    all.extend(payment::routes());
    all
}
