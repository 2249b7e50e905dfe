//! Money in integer cents, French VAT rates, and how amounts are written in each language.

use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

use serde::{Deserialize, Serialize};

/// An amount in euro cents, tax included unless the name says otherwise. Stored as `BigInt`,
/// written in JSON and templates as the plain number of cents (the `money` filter shows it).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    diesel::AsExpression,
    diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::BigInt)]
#[serde(transparent)]
pub struct Money(pub i64);

crate::db::bigint_newtype!(Money);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn cents(self) -> i64 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// `1 234,50 €` in French (narrow no-break space between thousands, no-break space before
    /// the sign), `€1,234.50` in English.
    pub fn format(self, lang: &str) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        let (euros, cents) = (abs / 100, abs % 100);
        let sign = if negative { "-" } else { "" };
        if lang.starts_with("en") {
            format!("{sign}€{}.{cents:02}", group_thousands(euros, ','))
        } else {
            format!(
                "{sign}{},{cents:02}\u{a0}€",
                group_thousands(euros, '\u{202f}')
            )
        }
    }
}

impl Money {
    /// Reads an amount typed in euros: `12`, `12,5`, `12,50`, `12.50`, `1 234,50`, `12 €`.
    /// Refuses negatives, more than two decimals, and anything above a million euros.
    pub fn parse_euros(input: &str) -> Option<Money> {
        let cleaned: String = input
            .trim()
            .trim_end_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
            .collect();
        let (whole, frac) = match cleaned.split_once([',', '.']) {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        if whole.is_empty() && frac.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || whole.len() > 7
        {
            return None;
        }
        let euros: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let total = euros * 100 + cents;
        (total <= 100_000_000).then_some(Money(total))
    }

    /// `12,50` / `12.50`: the amount as a form field shows it.
    pub fn input_value(self, lang: &str) -> String {
        let sep = if lang.starts_with("en") { '.' } else { ',' };
        format!("{}{sep}{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0 - other.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, other: Money) {
        self.0 += other.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, other: Money) {
        self.0 -= other.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

/// A unit price times a quantity.
impl Mul<i64> for Money {
    type Output = Money;
    fn mul(self, n: i64) -> Money {
        Money(self.0 * n)
    }
}

/// A share of an amount, rounded toward zero as integer division is (a part of a line by
/// quantity, an average).
impl Div<i64> for Money {
    type Output = Money;
    fn div(self, n: i64) -> Money {
        Money(self.0 / n)
    }
}

impl std::fmt::Display for Money {
    /// The number of cents, as payment APIs and logs take them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Tests write expected amounts as plain cents.
#[cfg(test)]
impl PartialEq<i64> for Money {
    fn eq(&self, cents: &i64) -> bool {
        self.0 == *cents
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

fn group_thousands(mut n: u64, sep: char) -> String {
    let mut groups = Vec::new();
    loop {
        if n < 1000 {
            groups.push(n.to_string());
            break;
        }
        groups.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    groups.reverse();
    groups.join(&sep.to_string())
}

/// The French VAT rates, in basis points (2000 = 20 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum VatRate {
    Standard,
    Intermediate,
    Reduced,
    SuperReduced,
}

/// A percentage in basis points as read: `12,5 %`, `33,33 %` in French; `12.5%` in English.
pub fn percent_label(bp: i32, lang: &str) -> String {
    let (whole, hundredths) = (bp / 100, bp % 100);
    let (dec, space) = if lang.starts_with("en") {
        (".", "")
    } else {
        (",", "\u{a0}")
    };
    match hundredths {
        0 => format!("{whole}{space}%"),
        h if h % 10 == 0 => format!("{whole}{dec}{}{space}%", h / 10),
        h => format!("{whole}{dec}{h:02}{space}%"),
    }
}

impl VatRate {
    pub const ALL: [VatRate; 4] = [
        VatRate::Standard,
        VatRate::Intermediate,
        VatRate::Reduced,
        VatRate::SuperReduced,
    ];

    pub fn basis_points(self) -> i32 {
        match self {
            VatRate::Standard => 2000,
            VatRate::Intermediate => 1000,
            VatRate::Reduced => 550,
            VatRate::SuperReduced => 210,
        }
    }

    pub fn from_basis_points(bp: i32) -> Option<VatRate> {
        VatRate::ALL.into_iter().find(|r| r.basis_points() == bp)
    }

    /// `20 %`, `5,5 %` in French; `20%`, `5.5%` in English.
    pub fn label(self, lang: &str) -> String {
        percent_label(self.basis_points(), lang)
    }

    /// The VAT contained in a tax-inclusive amount, rounded half up to the cent.
    pub fn included_in(self, gross: Money) -> Money {
        let bp = i64::from(self.basis_points());
        let numerator = gross.0 * bp;
        let denominator = 10_000 + bp;
        Money((numerator * 2 + denominator) / (denominator * 2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_percentage_reads_as_written() {
        assert_eq!(percent_label(3000, "fr"), "30\u{a0}%");
        assert_eq!(percent_label(1250, "fr"), "12,5\u{a0}%");
        assert_eq!(percent_label(3333, "en"), "33.33%");
        assert_eq!(VatRate::Reduced.label("fr"), "5,5\u{a0}%");
    }

    #[test]
    fn formats_french_and_english() {
        assert_eq!(Money(123_450).format("fr"), "1\u{202f}234,50\u{a0}€");
        assert_eq!(Money(5).format("fr"), "0,05\u{a0}€");
        assert_eq!(
            Money(100_000_000).format("fr"),
            "1\u{202f}000\u{202f}000,00\u{a0}€"
        );
        assert_eq!(Money(123_450).format("en"), "€1,234.50");
        assert_eq!(Money(-1999).format("en"), "-€19.99");
        assert_eq!(Money(0).format("fr"), "0,00\u{a0}€");
    }

    #[test]
    fn parses_typed_prices() {
        assert_eq!(Money::parse_euros("12"), Some(Money(1200)));
        assert_eq!(Money::parse_euros("12,5"), Some(Money(1250)));
        assert_eq!(Money::parse_euros(" 12.50 € "), Some(Money(1250)));
        assert_eq!(Money::parse_euros("1 234,05"), Some(Money(123_405)));
        assert_eq!(Money::parse_euros("0"), Some(Money(0)));
        assert_eq!(Money::parse_euros("-3"), None);
        assert_eq!(Money::parse_euros("12,345"), None);
        assert_eq!(Money::parse_euros("abc"), None);
        assert_eq!(Money::parse_euros(""), None);
        assert_eq!(Money::parse_euros("99999999"), None);
        assert_eq!(Money(1250).input_value("fr"), "12,50");
    }

    #[test]
    fn vat_included_in_gross_prices() {
        // 12,00 € TTC at 20 % holds 2,00 € of VAT.
        assert_eq!(VatRate::Standard.included_in(Money(1200)), Money(200));
        // 10,55 € at 5,5 % holds 0,55 €.
        assert_eq!(VatRate::Reduced.included_in(Money(1055)), Money(55));
        // 1,00 € at 2,1 % holds 0,0206 € -> 0,02 €.
        assert_eq!(VatRate::SuperReduced.included_in(Money(100)), Money(2));
        assert_eq!(VatRate::Intermediate.included_in(Money(0)), Money(0));
    }

    #[test]
    fn vat_rates_round_trip_and_label() {
        for rate in VatRate::ALL {
            assert_eq!(VatRate::from_basis_points(rate.basis_points()), Some(rate));
        }
        assert_eq!(VatRate::from_basis_points(1900), None);
        assert_eq!(VatRate::Reduced.label("fr"), "5,5\u{a0}%");
        assert_eq!(VatRate::Reduced.label("en"), "5.5%");
        assert_eq!(VatRate::Standard.label("fr"), "20\u{a0}%");
    }
}
