//! The checkout's details once checked, in domain types: what the order is placed with.

use crate::address::Address;
use crate::orders::model::Payment;
use crate::shipping::rates::Choice;

#[derive(Debug, Clone)]
pub struct CheckoutDetails {
    pub email: String,
    pub address: Address,
    /// A business buyer's company, SIREN or SIRET, and intra-community VAT number.
    pub company: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    /// Which way to receive it, as chosen; whether it serves the address is the order's to
    /// check, with the shop's methods.
    pub shipping: Choice,
    pub payment: Payment,
}
