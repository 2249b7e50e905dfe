//! Sales figures for the dashboard. Aggregation by day is done in Rust over a bounded window,
//! so the SQL stays the same on both backends.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::now;
use crate::db::schema::{order_lines, orders, refunds};
use crate::db::DbConn;
use crate::ids::OrderId;
use crate::money::Money;
use crate::orders::model::Status;

/// Orders whose money the shop has received.
const SOLD: [Status; 3] = [Status::Paid, Status::Shipped, Status::Delivered];

#[derive(Debug, Serialize, Default, Clone, Copy)]
pub struct Period {
    pub days: i64,
    pub orders: i64,
    pub revenue_cents: Money,
    pub average_cents: Money,
}

#[derive(Debug, Serialize)]
pub struct TopProduct {
    pub name: String,
    pub quantity: i64,
    pub revenue_cents: Money,
}

#[derive(Debug, Serialize)]
pub struct Sales {
    pub periods: Vec<Period>,
    /// Revenue of each of the last 30 days, oldest first.
    pub per_day: Vec<(NaiveDate, Money)>,
    pub by_status: Vec<(Status, i64)>,
    pub top: Vec<TopProduct>,
}

fn start_of_day(t: NaiveDateTime) -> NaiveDateTime {
    t.date().and_hms_opt(0, 0, 0).unwrap_or(t)
}

/// Revenue is what the shop keeps: each sold order's total less what was refunded of it (a
/// partial refund, a withdrawal from some items), counted on the order's day.
pub fn sales(conn: &mut DbConn) -> QueryResult<Sales> {
    let today = start_of_day(now());
    let since = today - Duration::days(29);
    let orders_rows: Vec<(OrderId, NaiveDateTime, Status, Money)> = orders::table
        .filter(orders::created_at.ge(since))
        .select((
            orders::id,
            orders::created_at,
            orders::status,
            orders::total_cents,
        ))
        .load(conn)?;
    let given_back: Vec<(OrderId, Money)> = refunds::table
        .inner_join(orders::table)
        .filter(orders::created_at.ge(since))
        .filter(refunds::status.eq("succeeded"))
        .select((refunds::order_id, refunds::total_cents))
        .load(conn)?;
    let mut refunded: BTreeMap<OrderId, Money> = BTreeMap::new();
    for (order, cents) in given_back {
        *refunded.entry(order).or_default() += cents;
    }
    let rows: Vec<(NaiveDateTime, Status, Money)> = orders_rows
        .into_iter()
        .map(|(id, at, status, total)| {
            let kept = total - refunded.get(&id).copied().unwrap_or(Money::ZERO);
            (at, status, kept.max(Money::ZERO))
        })
        .collect();
    let periods = [1, 7, 30]
        .into_iter()
        .map(|days| {
            let from = today - Duration::days(days - 1);
            let mut p = Period {
                days,
                ..Period::default()
            };
            for (at, status, total) in &rows {
                if *at >= from && SOLD.contains(status) {
                    p.orders += 1;
                    p.revenue_cents += *total;
                }
            }
            p.average_cents = if p.orders > 0 {
                p.revenue_cents / p.orders
            } else {
                Money::ZERO
            };
            p
        })
        .collect();
    let mut days: BTreeMap<NaiveDate, Money> = (0..30)
        .map(|i| ((since + Duration::days(i)).date(), Money::ZERO))
        .collect();
    for (at, status, total) in &rows {
        if SOLD.contains(status) {
            *days.entry(at.date()).or_default() += *total;
        }
    }
    let by_status: Vec<(Status, i64)> = orders::table
        .group_by(orders::status)
        .select((orders::status, diesel::dsl::count_star()))
        .load(conn)?;
    let by_status = Status::ALL
        .iter()
        .map(|s| {
            let n = by_status
                .iter()
                .find(|(status, _)| status == s)
                .map_or(0, |(_, n)| *n);
            (*s, n)
        })
        .collect();
    let lines: Vec<(String, i32, Money)> = order_lines::table
        .inner_join(orders::table)
        .filter(orders::created_at.ge(since))
        .filter(orders::status.eq_any(SOLD))
        .select((
            order_lines::product_name,
            order_lines::quantity,
            // What was paid: after the line's share of a discount code.
            order_lines::line_total_cents - order_lines::discount_cents,
        ))
        .load(conn)?;
    let mut top: BTreeMap<String, (i64, Money)> = BTreeMap::new();
    for (name, quantity, total) in lines {
        let entry = top.entry(name).or_default();
        entry.0 += i64::from(quantity);
        entry.1 += total;
    }
    let mut top: Vec<TopProduct> = top
        .into_iter()
        .map(|(name, (quantity, revenue_cents))| TopProduct {
            name,
            quantity,
            revenue_cents,
        })
        .collect();
    top.sort_by(|a, b| {
        b.quantity
            .cmp(&a.quantity)
            .then(b.revenue_cents.cmp(&a.revenue_cents))
    });
    top.truncate(5);
    Ok(Sales {
        periods,
        per_day: days.into_iter().collect(),
        by_status,
        top,
    })
}
