//! What a discount code gives a basket, decided without the database: whether it applies (and
//! if not, which reason to tell the customer), and each line's share of the discount, so the
//! totals function computes the VAT of every rate on what is really paid.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::discount_codes;
use crate::db::text_enum;
use crate::ids::{CategoryId, CodeId, ProductId};
use crate::money::Money;

/// What a code takes off.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `value` basis points of the goods it applies to (1000 = 10 %).
    Percent,
    /// `value` cents, at most the goods it applies to.
    Amount,
    FreeShipping,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Percent, Kind::Amount, Kind::FreeShipping];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Percent => "percent",
            Kind::Amount => "amount",
            Kind::FreeShipping => "free_shipping",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

text_enum!(Kind);

/// Which goods a code applies to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Basket,
    /// The products of one department.
    Category,
    /// Products chosen one by one.
    Products,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Basket, Scope::Category, Scope::Products];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Basket => "basket",
            Scope::Category => "category",
            Scope::Products => "products",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

text_enum!(Scope);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = discount_codes)]
pub struct Code {
    pub id: CodeId,
    pub code: String,
    pub kind: Kind,
    pub value: i64,
    pub scope: Scope,
    pub category_id: Option<CategoryId>,
    pub min_basket_cents: Money,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub max_uses: Option<i32>,
    pub max_uses_per_customer: Option<i32>,
    pub uses: i32,
    pub active: bool,
    /// Applies without being typed (an automatic promotion).
    pub automatic: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A basket line as a code sees it.
#[derive(Debug, Clone, Copy)]
pub struct Line {
    pub product_id: ProductId,
    pub category_id: Option<CategoryId>,
    /// Tax included, before any discount.
    pub total_cents: Money,
}

/// Why a code does not apply: each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Unknown,
    Paused,
    NotYet,
    Expired,
    UsedUp,
    /// This customer has used it as often as allowed.
    AlreadyUsed,
    /// The basket is below the code's minimum (in cents).
    Minimum(Money),
    /// Nothing in the basket is among the goods it applies to.
    NotApplicable,
}

impl Refusal {
    /// The message key (`discount-<reason>`).
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Unknown => "discount-unknown",
            Refusal::Paused => "discount-paused",
            Refusal::NotYet => "discount-not-yet",
            Refusal::Expired => "discount-expired",
            Refusal::UsedUp => "discount-used-up",
            Refusal::AlreadyUsed => "discount-already-used",
            Refusal::Minimum(_) => "discount-minimum",
            Refusal::NotApplicable => "discount-not-applicable",
        }
    }
}

/// What a code gives a basket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub code_id: CodeId,
    pub code: String,
    /// An automatic promotion rather than a code typed.
    pub automatic: bool,
    /// Each line's share, in the basket's order.
    pub per_line: Vec<Money>,
    pub free_shipping: bool,
}

impl Applied {
    pub fn discount_cents(&self) -> Money {
        self.per_line.iter().sum()
    }
}

/// Whether `code` (applying to `products` when chosen one by one) applies to `lines` at `now`,
/// for a customer who used it `customer_uses` times, and what it gives.
pub fn evaluate(
    code: &Code,
    products: &[ProductId],
    lines: &[Line],
    now: NaiveDateTime,
    customer_uses: i64,
) -> Result<Applied, Refusal> {
    if !code.active {
        return Err(Refusal::Paused);
    }
    if code.starts_at.is_some_and(|at| now < at) {
        return Err(Refusal::NotYet);
    }
    if code.ends_at.is_some_and(|at| now >= at) {
        return Err(Refusal::Expired);
    }
    if code.max_uses.is_some_and(|max| code.uses >= max) {
        return Err(Refusal::UsedUp);
    }
    if code
        .max_uses_per_customer
        .is_some_and(|max| customer_uses >= i64::from(max))
    {
        return Err(Refusal::AlreadyUsed);
    }
    let basket: Money = lines.iter().map(|l| l.total_cents).sum();
    if basket < code.min_basket_cents {
        return Err(Refusal::Minimum(code.min_basket_cents));
    }
    let eligible: Vec<Money> = lines
        .iter()
        .map(|l| {
            let applies = match code.scope {
                Scope::Basket => true,
                Scope::Category => code.category_id.is_some() && l.category_id == code.category_id,
                Scope::Products => products.contains(&l.product_id),
            };
            if applies {
                l.total_cents.max(Money::ZERO)
            } else {
                Money::ZERO
            }
        })
        .collect();
    let base: Money = eligible.iter().sum();
    if base.is_zero() {
        return Err(Refusal::NotApplicable);
    }
    let amount = match code.kind {
        // Rounded to the nearest cent, half up.
        Kind::Percent => Money(
            (i128::from(base.cents()) * i128::from(code.value.clamp(0, 10_000)) + 5_000)
                .div_euclid(10_000) as i64,
        ),
        Kind::Amount => Money(code.value).min(base),
        Kind::FreeShipping => Money::ZERO,
    };
    Ok(Applied {
        code_id: code.id,
        code: code.code.clone(),
        automatic: code.automatic,
        per_line: crate::totals::spread_discount(amount, &eligible),
        free_shipping: code.kind == Kind::FreeShipping,
    })
}

/// The automatic promotion that gives the most off the goods (free shipping only when no other
/// applies; the oldest on a tie), among `candidates` with their products.
pub fn best_automatic(
    candidates: &[(Code, Vec<ProductId>)],
    lines: &[Line],
    now: NaiveDateTime,
    customer_uses: impl Fn(CodeId) -> i64,
) -> Option<Applied> {
    candidates
        .iter()
        .filter(|(code, _)| code.automatic)
        .filter_map(|(code, products)| {
            evaluate(code, products, lines, now, customer_uses(code.id)).ok()
        })
        .min_by_key(|a| (std::cmp::Reverse(a.discount_cents()), a.code_id))
}

/// A code as customers type it: trimmed, in capitals.
pub fn normalize(code: &str) -> String {
    code.trim().to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(kind: Kind, value: i64, scope: Scope) -> Code {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        Code {
            id: CodeId(1),
            code: "HIVER".into(),
            kind,
            value,
            scope,
            category_id: Some(CategoryId(7)),
            min_basket_cents: Money(0),
            starts_at: None,
            ends_at: None,
            max_uses: None,
            max_uses_per_customer: None,
            uses: 0,
            active: true,
            automatic: false,
            created_at: at,
            updated_at: at,
        }
    }

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    const LINES: [Line; 3] = [
        Line {
            product_id: ProductId(1),
            category_id: Some(CategoryId(7)),
            total_cents: Money(2400),
        },
        Line {
            product_id: ProductId(2),
            category_id: Some(CategoryId(8)),
            total_cents: Money(1000),
        },
        Line {
            product_id: ProductId(3),
            category_id: Some(CategoryId(7)),
            total_cents: Money(333),
        },
    ];

    #[test]
    fn a_percentage_is_spread_over_the_lines_it_applies_to_to_the_cent() {
        let applied = evaluate(
            &code(Kind::Percent, 1000, Scope::Basket),
            &[],
            &LINES,
            now(),
            0,
        )
        .unwrap();
        // 10 % of 37,33 € = 3,733 € → 3,73 €, shared 240 / 100 / 33.
        assert_eq!(applied.discount_cents(), 373);
        assert_eq!(applied.per_line, vec![240, 100, 33]);
        let department = evaluate(
            &code(Kind::Percent, 1000, Scope::Category),
            &[],
            &LINES,
            now(),
            0,
        )
        .unwrap();
        assert_eq!(department.per_line, vec![240, 0, 33]);
        let chosen = evaluate(
            &code(Kind::Amount, 5000, Scope::Products),
            &[ProductId(2)],
            &LINES,
            now(),
            0,
        )
        .unwrap();
        assert_eq!(
            chosen.per_line,
            vec![0, 1000, 0],
            "never more than the goods"
        );
        let free = evaluate(
            &code(Kind::FreeShipping, 0, Scope::Basket),
            &[],
            &LINES,
            now(),
            0,
        )
        .unwrap();
        assert!(free.free_shipping && free.discount_cents() == 0);
    }

    #[test]
    fn each_refusal_says_why() {
        let base = code(Kind::Percent, 1000, Scope::Basket);
        let refused = |c: Code, uses: i64| evaluate(&c, &[], &LINES, now(), uses).unwrap_err();
        assert_eq!(
            refused(
                Code {
                    active: false,
                    ..base.clone()
                },
                0
            ),
            Refusal::Paused
        );
        assert_eq!(
            refused(
                Code {
                    starts_at: Some(now() + chrono::Duration::days(1)),
                    ..base.clone()
                },
                0
            ),
            Refusal::NotYet
        );
        assert_eq!(
            refused(
                Code {
                    ends_at: Some(now()),
                    ..base.clone()
                },
                0
            ),
            Refusal::Expired
        );
        assert_eq!(
            refused(
                Code {
                    max_uses: Some(10),
                    uses: 10,
                    ..base.clone()
                },
                0
            ),
            Refusal::UsedUp
        );
        assert_eq!(
            refused(
                Code {
                    max_uses_per_customer: Some(1),
                    ..base.clone()
                },
                1
            ),
            Refusal::AlreadyUsed
        );
        assert_eq!(
            refused(
                Code {
                    min_basket_cents: Money(5000),
                    ..base.clone()
                },
                0
            ),
            Refusal::Minimum(Money(5000))
        );
        assert_eq!(
            refused(
                Code {
                    scope: Scope::Products,
                    ..base
                },
                0
            ),
            Refusal::NotApplicable
        );
    }
}
