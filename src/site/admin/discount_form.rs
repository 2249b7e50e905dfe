//! The back-office form of a new discount code: typed values kept as typed, each checked into
//! a [`NewCode`] or a message per field.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use rocket::FromForm;
use serde::Serialize;

use crate::discounts::model::NewCode;
use crate::discounts::rules::{normalize, Kind, Scope};
use crate::i18n::Lang;
use crate::ids::CategoryId;
use crate::money::Money;

/// Uses a limit may count, at most.
const MAX_LIMIT: i32 = 1_000_000;

#[derive(Debug, Clone, Default, FromForm, Serialize)]
pub struct CodeForm {
    #[field(default = String::new())]
    pub code: String,
    #[field(default = String::new())]
    pub kind: String,
    /// A percentage (`10`, `12,5`) or an amount in euros, as the kind says.
    #[field(default = String::new())]
    pub value: String,
    #[field(default = String::new())]
    pub scope: String,
    #[field(default = String::new())]
    pub category_id: String,
    /// Product addresses (slugs), separated by commas or spaces.
    #[field(default = String::new())]
    pub products: String,
    #[field(default = String::new())]
    pub min_basket: String,
    #[field(default = String::new())]
    pub starts: String,
    #[field(default = String::new())]
    pub ends: String,
    #[field(default = String::new())]
    pub max_uses: String,
    #[field(default = String::new())]
    pub max_uses_per_customer: String,
    /// An automatic promotion: no one types it.
    #[field(default = false)]
    pub automatic: bool,
}

/// The checked form, with the product slugs still to be found in the database.
#[derive(Debug)]
pub struct Checked {
    pub code: NewCode,
    pub product_slugs: Vec<String>,
}

impl CodeForm {
    /// The product slugs typed.
    pub fn slugs(&self) -> Vec<String> {
        super::product_slugs(&self.products)
    }

    /// Checks every field; dates are days in the shop's time zone, stored in UTC.
    pub fn check(
        &self,
        lang: Lang,
        zone: chrono_tz::Tz,
    ) -> Result<Checked, BTreeMap<String, String>> {
        let mut errors = BTreeMap::new();
        let mut fail = |field: &str, key: &str| {
            errors.insert(field.to_string(), lang.t(key));
        };
        let code = normalize(&self.code);
        let code_ok = (3..=32).contains(&code.chars().count())
            && code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !code_ok {
            fail("code", "err-discount-code");
        }
        let kind = Kind::parse(&self.kind);
        let value = match kind {
            None => {
                fail("kind", "err-discount-kind");
                0
            }
            Some(Kind::FreeShipping) => 0,
            Some(Kind::Percent) => match super::percent_basis_points(&self.value) {
                Some(bp) if bp <= 10_000 => bp,
                _ => {
                    fail("value", "err-discount-percent");
                    0
                }
            },
            Some(Kind::Amount) => match Money::parse_euros(&self.value) {
                Some(m) if m.cents() > 0 => m.cents(),
                _ => {
                    fail("value", "err-discount-amount");
                    0
                }
            },
        };
        let scope = Scope::parse(&self.scope);
        let category_id = self.category_id.trim().parse::<CategoryId>().ok();
        let product_slugs = self.slugs();
        match scope {
            None => fail("scope", "err-discount-scope"),
            Some(Scope::Category) if category_id.is_none() => {
                fail("category_id", "err-discount-category")
            }
            Some(Scope::Products) if product_slugs.is_empty() => {
                fail("products", "err-discount-products")
            }
            _ => {}
        }
        let min_basket_cents = match self.min_basket.trim() {
            "" => Money::ZERO,
            typed => Money::parse_euros(typed).unwrap_or_else(|| {
                fail("min_basket", "err-discount-amount");
                Money::ZERO
            }),
        };
        let day = |typed: &str| -> Result<Option<NaiveDateTime>, ()> {
            let typed = typed.trim();
            if typed.is_empty() {
                return Ok(None);
            }
            let date = NaiveDate::parse_from_str(typed, "%Y-%m-%d").map_err(|_| ())?;
            Ok(Some(local_midnight(date, zone)))
        };
        let starts_at = day(&self.starts).unwrap_or_else(|_| {
            fail("starts", "err-discount-date");
            None
        });
        // The end day is included: the code works until the next midnight.
        let ends_at = day(&self.ends)
            .map(|d| d.map(|at| at + chrono::Duration::days(1)))
            .unwrap_or_else(|_| {
                fail("ends", "err-discount-date");
                None
            });
        if let (Some(s), Some(e)) = (starts_at, ends_at) {
            if e <= s {
                fail("ends", "err-discount-period");
            }
        }
        let mut limit = |field: &str, typed: &str| -> Option<i32> {
            match typed.trim() {
                "" => None,
                t => match t.parse::<i32>() {
                    Ok(n) if (1..=MAX_LIMIT).contains(&n) => Some(n),
                    _ => {
                        errors.insert(field.to_string(), lang.t("err-discount-limit"));
                        None
                    }
                },
            }
        };
        let max_uses = limit("max_uses", &self.max_uses);
        let max_uses_per_customer = limit("max_uses_per_customer", &self.max_uses_per_customer);
        let (Some(kind), Some(scope), true) = (kind, scope, errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Checked {
            code: NewCode {
                code,
                kind,
                value,
                scope,
                category_id: if scope == Scope::Category {
                    category_id
                } else {
                    None
                },
                products: Vec::new(),
                min_basket_cents,
                starts_at,
                ends_at,
                max_uses,
                max_uses_per_customer,
                automatic: self.automatic,
            },
            product_slugs: if scope == Scope::Products {
                product_slugs
            } else {
                Vec::new()
            },
        })
    }
}

/// Midnight of `date` in the shop's time zone, in UTC (the earliest when the clock changes).
fn local_midnight(date: NaiveDate, zone: chrono_tz::Tz) -> NaiveDateTime {
    let local = date.and_time(NaiveTime::MIN);
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> CodeForm {
        CodeForm {
            code: " hiver-10 ".into(),
            kind: "percent".into(),
            value: "12,5".into(),
            scope: "basket".into(),
            starts: "2026-12-01".into(),
            ends: "2026-12-31".into(),
            max_uses: "10".into(),
            ..CodeForm::default()
        }
    }

    #[test]
    fn a_good_form_becomes_a_code_with_utc_days() {
        let checked = form().check(Lang::Fr, chrono_tz::Europe::Paris).unwrap();
        assert_eq!(checked.code.code, "HIVER-10");
        assert_eq!(checked.code.value, 1250);
        assert_eq!(checked.code.max_uses, Some(10));
        // Paris is UTC+1 in winter: the 1st at midnight is 23:00 the day before in UTC.
        assert_eq!(
            checked.code.starts_at.unwrap().to_string(),
            "2026-11-30 23:00:00"
        );
        assert_eq!(
            checked.code.ends_at.unwrap().to_string(),
            "2026-12-31 23:00:00"
        );
    }

    #[test]
    fn bad_values_get_a_message_each() {
        let bad = CodeForm {
            code: "a b".into(),
            value: "250".into(),
            ends: "2026-11-01".into(),
            max_uses: "-3".into(),
            max_uses_per_customer: "0".into(),
            min_basket: "-5".into(),
            ..form()
        };
        let errors = bad.check(Lang::Fr, chrono_tz::Europe::Paris).unwrap_err();
        let fields: Vec<&str> = errors.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "code",
                "ends",
                "max_uses",
                "max_uses_per_customer",
                "min_basket",
                "value"
            ]
        );
        let amount = CodeForm {
            kind: "amount".into(),
            value: "0".into(),
            scope: "products".into(),
            ..form()
        };
        let errors = amount
            .check(Lang::Fr, chrono_tz::Europe::Paris)
            .unwrap_err();
        assert!(errors.contains_key("value") && errors.contains_key("products"));
    }
}
