//! Postal addresses: the one [`Address`] type that checkout, orders, accounts and invoices share,
//! the countries the shop delivers to with the shape of their postal codes, and the French
//! communes of each postal code ([`places`]).

pub mod places;

use serde::{Deserialize, Serialize};

/// Where a parcel goes and to whom: as typed at checkout (trimmed and checked), kept on the
/// order and in the customer's address book, printed on documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Address {
    /// Documents issued before this type named it `name`.
    #[serde(alias = "name")]
    pub full_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    /// ISO 3166 code (`FR`, `BE`, …).
    pub country: String,
    /// The recipient's phone, for the carrier; optional.
    #[serde(default)]
    pub phone: Option<String>,
}

/// The countries the shop delivers to (with methods of its own beyond the first four: see
/// `shipping::rates::FLAT_COUNTRIES`).
pub const COUNTRIES: [&str; 8] = ["FR", "BE", "LU", "MC", "DE", "ES", "IT", "CH"];

/// Whether `code` has the shape of a postal code of `country` (one the shop delivers to).
pub fn postal_code_ok(country: &str, code: &str) -> bool {
    let digits = |n: usize| code.len() == n && code.bytes().all(|b| b.is_ascii_digit());
    match country {
        "FR" | "MC" | "DE" | "ES" | "IT" => digits(5),
        "BE" | "LU" | "CH" => digits(4),
        _ => false,
    }
}

/// Digits and the usual separators, at least six digits.
pub fn phone_ok(phone: &str) -> bool {
    phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')'))
        && phone.chars().filter(char::is_ascii_digit).count() >= 6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_codes_have_their_country_s_shape() {
        assert!(postal_code_ok("FR", "69003"));
        assert!(postal_code_ok("BE", "1000"));
        assert!(!postal_code_ok("FR", "6900"));
        assert!(!postal_code_ok("CH", "12000"));
        assert!(!postal_code_ok("MARS", "69003"));
        assert!(phone_ok("+33 (0)4 72 00 00 00"));
        assert!(!phone_ok("call me"));
        assert!(!phone_ok("12-34"));
    }
}
