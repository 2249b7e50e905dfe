//! Sales: products sold at a reduced price for a time, scheduled by staff and started and ended
//! by the clock, and the price history that gives each its reference price.
//!
//! Code de la consommation art. L112-1-1 (since 28 May 2022): an announced price reduction
//! shows as the prior price the lowest price the shop applied in the 30 days before the
//! reduction; during successive reductions of one sale, the price before the first. The
//! history (`price_history`) holds every price a product had: its own prices, written by the
//! database's triggers whatever changes them, and the sales' prices, written by [`tick`] for
//! the time each runs. A sale's price is charged from its start to its end to the second (the
//! pages and the cart read [`live`]); the clock only writes the history and moves the pages'
//! cache version.
//!
//! A product is in one sale at a time. Products whose variants have their own prices are not
//! put on sale (each variant would need its own reference price).

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::db::schema::{price_history, product_variants, products, sale_products, sales};
use crate::db::DbConn;
use crate::ids::{ProductId, SaleId, UserId};
use crate::money::Money;

/// How far back the reference price looks.
pub const REFERENCE_DAYS: i64 = 30;

/// A product's sale running now, as pages and the cart show it.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct OnSale {
    pub sale_id: SaleId,
    /// What the customer pays, tax included.
    pub price_cents: Money,
    /// The lowest price of the 30 days before the sale started: the crossed-out price.
    pub reference_cents: Money,
    /// The reduction from the reference, in whole percent (rounded down, never overstated).
    pub percent_off: i64,
    /// Whether a reduction may be announced: the sale's price is below its reference (else
    /// the price is shown plainly).
    pub announced: bool,
    pub ends_at: NaiveDateTime,
}

impl OnSale {
    fn new(
        sale_id: SaleId,
        price_cents: Money,
        reference_cents: Money,
        ends_at: NaiveDateTime,
    ) -> OnSale {
        let percent_off = if reference_cents.is_positive() && price_cents < reference_cents {
            (reference_cents - price_cents).cents() * 100 / reference_cents.cents()
        } else {
            0
        };
        OnSale {
            sale_id,
            price_cents,
            reference_cents,
            percent_off,
            announced: percent_off > 0,
            ends_at,
        }
    }

    /// What a unit costs: the sale's price, or the product's own when that became lower.
    pub fn charge(&self, own_price: Money) -> Money {
        self.price_cents.min(own_price)
    }
}

/// The sales running at `at` for these products (one query).
pub fn live(
    c: &mut DbConn,
    product_ids: &[ProductId],
    at: NaiveDateTime,
) -> QueryResult<HashMap<ProductId, OnSale>> {
    if product_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(ProductId, SaleId, Money, Money, NaiveDateTime)> = sale_products::table
        .filter(sale_products::product_id.eq_any(product_ids))
        .filter(sale_products::starts_at.le(at))
        .filter(sale_products::ends_at.gt(at))
        .select((
            sale_products::product_id,
            sale_products::sale_id,
            sale_products::price_cents,
            sale_products::reference_cents,
            sale_products::ends_at,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(product, sale, price, reference, ends_at)| {
            (product, OnSale::new(sale, price, reference, ends_at))
        })
        .collect())
}

/// The lowest price a product had in the 30 days before `start`, its sale `except` aside;
/// none when the history holds nothing for those days.
pub fn reference(
    c: &mut DbConn,
    product: ProductId,
    start: NaiveDateTime,
    except: Option<SaleId>,
) -> QueryResult<Option<Money>> {
    let since = start - Duration::days(REFERENCE_DAYS);
    let mut q = price_history::table
        .filter(price_history::product_id.eq(product))
        .filter(price_history::valid_from.lt(start))
        .filter(
            price_history::valid_until
                .is_null()
                .or(price_history::valid_until.gt(since)),
        )
        .select(diesel::dsl::min(price_history::price_cents))
        .into_boxed();
    if let Some(sale) = except {
        q = q.filter(
            price_history::sale_id
                .is_null()
                .or(price_history::sale_id.ne(sale)),
        );
    }
    Ok(q.first::<Option<i64>>(c)?.map(Money))
}

/// A sale as staff make it.
#[derive(Debug, Clone, Serialize)]
pub struct NewSale {
    pub name: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub reduction: Reduction,
    pub products: Vec<ProductId>,
}

/// How a sale lowers prices.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Reduction {
    /// Off each product's price, in basis points (2000 = 20 %).
    Percent(i32),
    /// One price, for a sale of one product.
    Price(Money),
}

impl Reduction {
    /// The sale price of a product at `price`, rounded to the cent (half up) once.
    pub fn of(self, price: Money) -> Money {
        match self {
            Reduction::Percent(bp) => {
                Money((price.cents() * i64::from(10_000 - bp) + 5_000) / 10_000)
            }
            Reduction::Price(p) => p,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SaleError {
    #[error("the sale ends before it starts or has already ended")]
    Dates,
    #[error("no product chosen")]
    NoProduct,
    #[error("a sale price is for one product")]
    PriceForMany,
    #[error("{0} is already in a sale at that time")]
    Overlap(String),
    #[error("{0}'s variants have prices of their own")]
    VariantPrices(String),
    #[error("the sale price of {0} is not below its price")]
    NotLower(String),
    /// A product in "soldes" that was not on sale a month before they start (L310-3 I).
    #[error("{0} was not on sale a month before the soldes")]
    SoldesTooNew(String),
    /// Named "soldes" outside the legal periods: the next one, start and end (UTC).
    #[error("\"soldes\" outside the legal periods")]
    Soldes(NaiveDateTime, NaiveDateTime),
    #[error("no such sale")]
    NotFound,
    #[error("database: {0}")]
    Db(String),
}

impl From<diesel::result::Error> for SaleError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => SaleError::NotFound,
            e => SaleError::Db(e.to_string()),
        }
    }
}

/// The two legal sales periods ("soldes") of a year, start and end in UTC (Code de commerce
/// L310-3; arrêté du 27 mai 2019): winter from the second Wednesday of January at 8 a.m.
/// (the first when the second falls after the 12th), summer from the last Wednesday of June
/// at 8 a.m. (the one before when the last falls after the 28th), four weeks each, in
/// France's time. Distance selling follows these national dates everywhere.
pub fn soldes_periods(year: i32) -> [(NaiveDateTime, NaiveDateTime); 2] {
    use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
    let wednesdays = |month: u32| -> Vec<NaiveDate> {
        (1..=31)
            .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
            .filter(|d| d.weekday() == Weekday::Wed)
            .collect()
    };
    let january = wednesdays(1);
    let winter = if january[1].day() > 12 {
        january[0]
    } else {
        january[1]
    };
    let june = wednesdays(6);
    let last = june[june.len() - 1];
    let summer = if last.day() > 28 {
        june[june.len() - 2]
    } else {
        last
    };
    let utc = |date: NaiveDate, hour: u32| {
        let local = date.and_hms_opt(hour, 0, 0).unwrap_or_default();
        chrono_tz::Europe::Paris
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.naive_utc())
            .unwrap_or(local)
    };
    let period = |start: NaiveDate| (utc(start, 8), utc(start + Duration::days(28), 0));
    [period(winter), period(summer)]
}

/// Whether a sale is announced as "soldes" (the word or its derivatives, L310-3 II).
fn is_soldes(name: &str) -> bool {
    crate::text::fold(name).contains("solde")
}

/// Whether a sale lies within one legal sales period.
fn within_soldes(sale: &NewSale) -> bool {
    use chrono::Datelike;
    soldes_periods(sale.starts_at.year())
        .iter()
        .any(|(start, end)| *start <= sale.starts_at && sale.ends_at <= *end)
}

/// The legal sales period running at `now` or the next one.
pub fn next_soldes(now: NaiveDateTime) -> (NaiveDateTime, NaiveDateTime) {
    use chrono::Datelike;
    let year = now.year();
    soldes_periods(year)
        .into_iter()
        .chain(soldes_periods(year + 1))
        .find(|(_, end)| *end > now)
        .unwrap_or_default()
}

/// Makes a sale, checked; one that starts now is applied in the same transaction.
pub fn create(
    conn: &mut DbConn,
    sale: &NewSale,
    actor: Option<UserId>,
    now: NaiveDateTime,
) -> Result<SaleId, SaleError> {
    if sale.ends_at <= sale.starts_at || sale.ends_at <= now {
        return Err(SaleError::Dates);
    }
    if sale.products.is_empty() {
        return Err(SaleError::NoProduct);
    }
    if matches!(sale.reduction, Reduction::Price(_)) && sale.products.len() != 1 {
        return Err(SaleError::PriceForMany);
    }
    if is_soldes(&sale.name) && !within_soldes(sale) {
        let (start, end) = next_soldes(now);
        return Err(SaleError::Soldes(start, end));
    }
    conn.write_tx(|c| {
        let found: Vec<(ProductId, String, Money)> = products::table
            .filter(products::id.eq_any(&sale.products))
            .select((products::id, products::name, products::price_cents))
            .load(c)?;
        if found.len() != sale.products.len() {
            return Err(SaleError::NoProduct);
        }
        let names: HashMap<ProductId, &str> =
            found.iter().map(|(id, n, _)| (*id, n.as_str())).collect();
        let name = |id: ProductId| names.get(&id).copied().unwrap_or_default().to_string();
        // "Les produits annoncés comme soldés doivent avoir été proposés à la vente … depuis au
        // moins un mois à la date de début de la période de soldes" (L310-3 I).
        if is_soldes(&sale.name) {
            let month_before = sale
                .starts_at
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(sale.starts_at);
            let too_new: Option<ProductId> = products::table
                .filter(products::id.eq_any(&sale.products))
                .filter(products::created_at.gt(month_before))
                .select(products::id)
                .first(c)
                .optional()?;
            if let Some(id) = too_new {
                return Err(SaleError::SoldesTooNew(name(id)));
            }
        }
        let overlapping: Option<ProductId> = sale_products::table
            .filter(sale_products::product_id.eq_any(&sale.products))
            .filter(sale_products::starts_at.lt(sale.ends_at))
            .filter(sale_products::ends_at.gt(sale.starts_at))
            .select(sale_products::product_id)
            .first(c)
            .optional()?;
        if let Some(id) = overlapping {
            return Err(SaleError::Overlap(name(id)));
        }
        let own_prices: Option<ProductId> = product_variants::table
            .filter(product_variants::product_id.eq_any(&sale.products))
            .filter(product_variants::price_cents.is_not_null())
            .select(product_variants::product_id)
            .first(c)
            .optional()?;
        if let Some(id) = own_prices {
            return Err(SaleError::VariantPrices(name(id)));
        }
        let mut rows = Vec::with_capacity(found.len());
        for (id, product_name, price) in &found {
            let sale_price = sale.reduction.of(*price);
            if sale_price >= *price || !sale_price.is_positive() {
                return Err(SaleError::NotLower(product_name.clone()));
            }
            let reference = reference(c, *id, sale.starts_at, None)?.unwrap_or(*price);
            rows.push((*id, sale_price, reference));
        }
        let percent_bp = match sale.reduction {
            Reduction::Percent(bp) => Some(bp),
            Reduction::Price(_) => None,
        };
        let id: SaleId = diesel::insert_into(sales::table)
            .values((
                sales::name.eq(&sale.name),
                sales::percent_bp.eq(percent_bp),
                sales::starts_at.eq(sale.starts_at),
                sales::ends_at.eq(sale.ends_at),
                sales::actor_id.eq(actor),
                sales::created_at.eq(now),
            ))
            .returning(sales::id)
            .get_result(c)?;
        for (product, price, reference) in rows {
            diesel::insert_into(sale_products::table)
                .values((
                    sale_products::sale_id.eq(id),
                    sale_products::product_id.eq(product),
                    sale_products::price_cents.eq(price),
                    sale_products::reference_cents.eq(reference),
                    sale_products::starts_at.eq(sale.starts_at),
                    sale_products::ends_at.eq(sale.ends_at),
                ))
                .execute(c)?;
        }
        audit::Change::new(actor, "sale.create", "sale")
            .on(id)
            .after(sale)
            .record(c)?;
        tick_in(c, now)?;
        Ok(id)
    })
}

/// Ends a running sale now, or takes back one that has not started. Audited.
pub fn end(
    conn: &mut DbConn,
    id: SaleId,
    actor: UserId,
    now: NaiveDateTime,
) -> Result<(), SaleError> {
    conn.write_tx(|c| {
        let (starts_at, ends_at): (NaiveDateTime, NaiveDateTime) = sales::table
            .find(id)
            .select((sales::starts_at, sales::ends_at))
            .first(c)?;
        if ends_at <= now {
            return Ok(());
        }
        let action = if starts_at > now {
            diesel::delete(sales::table.find(id)).execute(c)?;
            "sale.withdraw"
        } else {
            diesel::update(sales::table.find(id))
                .set(sales::ends_at.eq(now))
                .execute(c)?;
            diesel::update(sale_products::table.filter(sale_products::sale_id.eq(id)))
                .set(sale_products::ends_at.eq(now))
                .execute(c)?;
            "sale.end"
        };
        audit::Change::new(Some(actor), action, "sale")
            .on(id)
            .before(&serde_json::json!({ "ends_at": ends_at }))
            .after(&serde_json::json!({ "ends_at": now }))
            .record(c)?;
        tick_in(c, now)?;
        Ok(())
    })
}

/// The clock: writes in the history the prices of the sales that started and the end of those
/// that ended (which moves the pages' cache version), and says when it next has work.
pub fn tick(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Option<NaiveDateTime>> {
    conn.write_tx(|c| tick_in(c, now))
}

fn tick_in(c: &mut DbConn, now: NaiveDateTime) -> QueryResult<Option<NaiveDateTime>> {
    let started: Vec<(SaleId, NaiveDateTime, NaiveDateTime)> = sales::table
        .filter(sales::applied.eq(false))
        .filter(sales::starts_at.le(now))
        .select((sales::id, sales::starts_at, sales::ends_at))
        .load(c)?;
    for (sale, starts_at, ends_at) in started {
        // Claimed first: of several instances ticking together, one writes the history.
        let claimed = diesel::update(sales::table.find(sale).filter(sales::applied.eq(false)))
            .set(sales::applied.eq(true))
            .execute(c)?;
        if claimed == 0 {
            continue;
        }
        let items: Vec<(ProductId, Money)> = sale_products::table
            .filter(sale_products::sale_id.eq(sale))
            .select((sale_products::product_id, sale_products::price_cents))
            .load(c)?;
        for (product, price) in items {
            // The reference again, now that the days before the start are history.
            if let Some(reference) = reference(c, product, starts_at, Some(sale))? {
                diesel::update(sale_products::table.find((sale, product)))
                    .set(sale_products::reference_cents.eq(reference))
                    .execute(c)?;
            }
            diesel::insert_into(price_history::table)
                .values((
                    price_history::product_id.eq(product),
                    price_history::price_cents.eq(price),
                    price_history::sale_id.eq(sale),
                    price_history::valid_from.eq(starts_at),
                    price_history::valid_until.eq(ends_at),
                ))
                .execute(c)?;
        }
    }
    let ended: Vec<(SaleId, NaiveDateTime)> = sales::table
        .filter(sales::closed.eq(false))
        .filter(sales::ends_at.le(now))
        .select((sales::id, sales::ends_at))
        .load(c)?;
    for (sale, ends_at) in ended {
        let claimed = diesel::update(sales::table.find(sale).filter(sales::closed.eq(false)))
            .set(sales::closed.eq(true))
            .execute(c)?;
        if claimed > 0 {
            diesel::update(price_history::table.filter(price_history::sale_id.eq(sale)))
                .set(price_history::valid_until.eq(ends_at))
                .execute(c)?;
        }
    }
    let next_start: Option<NaiveDateTime> = sales::table
        .filter(sales::applied.eq(false))
        .select(diesel::dsl::min(sales::starts_at))
        .first(c)?;
    let next_end: Option<NaiveDateTime> = sales::table
        .filter(sales::closed.eq(false))
        .select(diesel::dsl::min(sales::ends_at))
        .first(c)?;
    Ok(match (next_start, next_end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The products of a department, for a sale over it.
pub fn products_in(
    c: &mut DbConn,
    department: crate::ids::CategoryId,
) -> QueryResult<Vec<ProductId>> {
    products::table
        .filter(products::category_id.eq(department))
        .select(products::id)
        .load(c)
}

/// A sale as the back-office lists it.
#[derive(Debug, Clone, Serialize, Queryable)]
pub struct SaleRow {
    pub id: SaleId,
    pub name: String,
    pub percent_bp: Option<i32>,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
}

/// A sale with its products' names, and whether it is to come, running or over at `now`.
#[derive(Debug, Clone, Serialize)]
pub struct SaleSummary {
    pub sale: SaleRow,
    pub products: Vec<String>,
    pub state: &'static str,
}

/// Every sale, the latest first (two queries).
pub fn all(c: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<SaleSummary>> {
    let rows: Vec<SaleRow> = sales::table
        .order((sales::starts_at.desc(), sales::id.desc()))
        .select((
            sales::id,
            sales::name,
            sales::percent_bp,
            sales::starts_at,
            sales::ends_at,
        ))
        .load(c)?;
    let ids: Vec<SaleId> = rows.iter().map(|r| r.id).collect();
    let mut names: HashMap<SaleId, Vec<String>> = HashMap::new();
    if !ids.is_empty() {
        let items: Vec<(SaleId, String)> = sale_products::table
            .inner_join(products::table)
            .filter(sale_products::sale_id.eq_any(&ids))
            .order((sale_products::sale_id, products::name))
            .select((sale_products::sale_id, products::name))
            .load(c)?;
        for (sale, name) in items {
            names.entry(sale).or_default().push(name);
        }
    }
    Ok(rows
        .into_iter()
        .map(|sale| SaleSummary {
            products: names.remove(&sale.id).unwrap_or_default(),
            state: if sale.starts_at > now {
                "scheduled"
            } else if sale.ends_at > now {
                "running"
            } else {
                "over"
            },
            sale,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legal_sales_periods_follow_the_arrete_of_27_may_2019() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // 2026: winter from Wednesday 7 January 8:00 Paris (the second Wednesday, the 14th,
        // falls after the 12th) to Tuesday 3 February; summer from Wednesday 24 June.
        assert_eq!(
            soldes_periods(2026),
            [
                (at("2026-01-07 07:00"), at("2026-02-03 23:00")),
                (at("2026-06-24 06:00"), at("2026-07-21 22:00")),
            ]
        );
        // 2025: the second Wednesday, 8 January; the last of June, 25 June.
        assert_eq!(soldes_periods(2025)[0].0, at("2025-01-08 07:00"));
        assert_eq!(soldes_periods(2025)[1].0, at("2025-06-25 06:00"));
        // 2027: 6 January (the 13th is too late); June's last Wednesday is the 30th (after the
        // 28th), so the 23rd.
        assert_eq!(soldes_periods(2027)[0].0, at("2027-01-06 07:00"));
        assert_eq!(soldes_periods(2027)[1].0, at("2027-06-23 06:00"));
        assert_eq!(
            next_soldes(at("2026-12-07 12:00")).0,
            at("2027-01-06 07:00")
        );
        let named = |name: &str, from: &str, to: &str| NewSale {
            name: name.into(),
            starts_at: at(from),
            ends_at: at(to),
            reduction: Reduction::Percent(2000),
            products: Vec::new(),
        };
        assert!(within_soldes(&named(
            "Soldes d'hiver",
            "2027-01-06 07:00",
            "2027-02-02 23:00"
        )));
        assert!(!within_soldes(&named(
            "Soldes d'hiver",
            "2027-01-05 07:00",
            "2027-01-20 23:00"
        )));
        assert!(!within_soldes(&named(
            "Soldes",
            "2027-01-06 07:00",
            "2027-02-10 23:00"
        )));
    }

    #[test]
    fn a_percentage_rounds_to_the_cent_once_half_up() {
        assert_eq!(Reduction::Percent(2000).of(Money(2490)), Money(1992));
        assert_eq!(Reduction::Percent(3333).of(Money(1000)), Money(667));
        assert_eq!(Reduction::Percent(5000).of(Money(1)), Money(1));
        assert_eq!(Reduction::Price(Money(1990)).of(Money(2490)), Money(1990));
    }

    #[test]
    fn the_reduction_is_counted_from_the_reference_and_never_overstated() {
        let at = NaiveDateTime::default();
        let s = OnSale::new(SaleId(1), Money(1990), Money(2490), at);
        assert_eq!(s.percent_off, 20);
        assert!(s.announced);
        let s = OnSale::new(SaleId(1), Money(1999), Money(2990), at);
        assert_eq!(s.percent_off, 33, "33.1 % shows as 33 %");
        // The product's price was lowered below the sale's in between: the lower is charged,
        // and no reduction is announced from a reference at or below the sale's price.
        let s = OnSale::new(SaleId(1), Money(1990), Money(1890), at);
        assert!(!s.announced);
        assert_eq!(s.percent_off, 0);
        assert_eq!(s.charge(Money(1890)), Money(1890));
    }
}
