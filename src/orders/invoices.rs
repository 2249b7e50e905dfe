//! Invoices and credit notes (French law): one invoice when an order is paid, one credit note
//! when it is refunded, numbered per year without gaps (`F2026-000001`, `A2026-000001`),
//! issued inside the transaction that changes the order, and never changed or deleted (the
//! database refuses it with triggers).

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::Order;
use crate::db::now;
use crate::db::schema::{invoice_counters, invoices};
use crate::db::DbConn;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Invoice,
    CreditNote,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice",
            Kind::CreditNote => "credit_note",
        }
    }

    fn prefix(self) -> char {
        match self {
            Kind::Invoice => 'F',
            Kind::CreditNote => 'A',
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "invoice" => Some(Kind::Invoice),
            "credit-note" | "credit_note" => Some(Kind::CreditNote),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub number: String,
    pub kind: String,
    pub order_id: i64,
    pub total_cents: i64,
    pub vat_cents: i64,
    pub issued_at: NaiveDateTime,
}

/// The next number of this kind for the year: the counter row is locked by the UPDATE, so
/// concurrent transactions take consecutive numbers and a rolled-back one frees its number.
fn next_number(conn: &mut DbConn, kind: Kind, year: i32) -> QueryResult<String> {
    // `year` is a number and `kind` one of two constants: formatting them in is safe.
    diesel::sql_query(format!(
        "INSERT INTO invoice_counters (year, kind, last_value) VALUES ({year}, '{}', 0) \
         ON CONFLICT (year, kind) DO NOTHING",
        kind.as_str()
    ))
    .execute(conn)?;
    let n: i64 = diesel::update(invoice_counters::table.find((year, kind.as_str())))
        .set(invoice_counters::last_value.eq(invoice_counters::last_value + 1))
        .returning(invoice_counters::last_value)
        .get_result(conn)?;
    Ok(format!("{}{year}-{n:06}", kind.prefix()))
}

/// Issues the order's invoice or credit note (once: a second call returns the first).
/// Call inside the transaction that marks the order paid or refunded.
pub fn issue(conn: &mut DbConn, order: &Order, kind: Kind) -> QueryResult<Invoice> {
    if let Some(existing) = find(conn, order.id, kind)? {
        return Ok(existing);
    }
    let issued_at = now();
    let number = next_number(conn, kind, issued_at.year())?;
    let sign = if kind == Kind::CreditNote { -1 } else { 1 };
    diesel::insert_into(invoices::table)
        .values((
            invoices::number.eq(&number),
            invoices::kind.eq(kind.as_str()),
            invoices::order_id.eq(order.id),
            invoices::total_cents.eq(sign * order.total_cents),
            invoices::vat_cents.eq(sign * order.vat_cents),
            invoices::issued_at.eq(issued_at),
        ))
        .execute(conn)?;
    find(conn, order.id, kind)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConn, order_id: i64, kind: Kind) -> QueryResult<Option<Invoice>> {
    invoices::table
        .filter(invoices::order_id.eq(order_id))
        .filter(invoices::kind.eq(kind.as_str()))
        .select(Invoice::as_select())
        .first(conn)
        .optional()
}

pub fn for_order(conn: &mut DbConn, order_id: i64) -> QueryResult<Vec<Invoice>> {
    invoices::table
        .filter(invoices::order_id.eq(order_id))
        .order(invoices::id)
        .select(Invoice::as_select())
        .load(conn)
}
