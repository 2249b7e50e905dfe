//! Invoices and credit notes (French law): one invoice when an order is paid, one credit note
//! per refund, numbered per year without gaps (`F2026-000001`, `A2026-000001`), issued inside
//! the transaction that changes the order, and never changed or deleted (the database refuses
//! it with triggers). Each keeps the buyer as they were at issue: erasing an account later
//! anonymises the order, not the documents the law requires kept.

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::address::Address;
use crate::config::Settings;
use crate::db::now;
use crate::db::schema::{invoice_counters, invoices};
use crate::db::DbConn;
use crate::ids::{InvoiceId, OrderId};
use crate::money::Money;
use crate::orders::model::Order;

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
    pub id: InvoiceId,
    pub number: String,
    pub kind: String,
    pub order_id: OrderId,
    pub total_cents: Money,
    pub vat_cents: Money,
    pub issued_at: NaiveDateTime,
    /// JSON of [`Buyer`], frozen at issue.
    pub buyer: String,
    /// JSON of [`Seller`], frozen at issue (empty for documents issued before it was kept).
    pub seller: String,
}

/// Who issued a document, as the settings said at issue.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Seller {
    pub name: String,
    pub address: String,
    pub siret: String,
    pub vat_number: String,
    /// Under the VAT franchise (art. 293 B du CGI): no VAT charged, the mention printed.
    #[serde(default)]
    pub vat_exempt: bool,
}

impl Seller {
    pub fn of(s: &Settings) -> Seller {
        Seller {
            name: s.shop_legal_name.clone(),
            address: s.shop_address.clone(),
            siret: s.shop_siret.clone(),
            vat_number: s.shop_vat_number.clone(),
            vat_exempt: s.vat_franchise,
        }
    }
}

/// Who a document was issued to.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Buyer {
    #[serde(flatten)]
    pub address: Address,
    pub email: String,
    /// A business buyer's company, SIREN or SIRET, and intra-community VAT number.
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub siret: Option<String>,
    #[serde(default)]
    pub vat_number: Option<String>,
}

impl Buyer {
    fn of(order: &Order) -> Buyer {
        Buyer {
            address: order.ship_to(),
            email: order.email.clone(),
            company: order.buyer_company.clone(),
            siret: order.buyer_siret.clone(),
            vat_number: order.buyer_vat_number.clone(),
        }
    }
}

impl Invoice {
    /// The buyer as the document names them.
    pub fn buyer(&self) -> Buyer {
        serde_json::from_str(&self.buyer).unwrap_or_default()
    }

    /// The seller as the document names them; `now` for documents issued before it was kept.
    pub fn seller(&self, now: &Settings) -> Seller {
        serde_json::from_str(&self.seller).unwrap_or_else(|_| Seller::of(now))
    }

    /// The path of its page, under its order's.
    pub fn path(&self, order_number: &str) -> String {
        format!("/orders/{order_number}/documents/{}", self.number)
    }
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

/// Issues the order's invoice (once: a second call returns the first). Call inside the
/// transaction that marks the order paid.
pub fn issue_invoice(conn: &mut DbConn, order: &Order, seller: &Seller) -> QueryResult<Invoice> {
    if let Some(existing) = find(conn, order.id, Kind::Invoice)? {
        return Ok(existing);
    }
    let figures = (order.total_cents, order.vat_cents);
    insert(conn, order, seller, Kind::Invoice, figures)
}

/// Issues a credit note for a refund of `total_cents` holding `vat_cents` (both positive; the
/// document carries them negative). Call inside the transaction that completes the refund.
pub fn issue_credit_note(
    conn: &mut DbConn,
    order: &Order,
    seller: &Seller,
    total_cents: Money,
    vat_cents: Money,
) -> QueryResult<Invoice> {
    let figures = (-total_cents, -vat_cents);
    insert(conn, order, seller, Kind::CreditNote, figures)
}

fn insert(
    conn: &mut DbConn,
    order: &Order,
    seller: &Seller,
    kind: Kind,
    (total_cents, vat_cents): (Money, Money),
) -> QueryResult<Invoice> {
    let issued_at = now();
    let number = next_number(conn, kind, issued_at.year())?;
    let json = |e: serde_json::Error| diesel::result::Error::SerializationError(Box::new(e));
    let buyer = serde_json::to_string(&Buyer::of(order)).map_err(json)?;
    let seller = serde_json::to_string(seller).map_err(json)?;
    diesel::insert_into(invoices::table)
        .values((
            invoices::number.eq(&number),
            invoices::kind.eq(kind.as_str()),
            invoices::order_id.eq(order.id),
            invoices::total_cents.eq(total_cents),
            invoices::vat_cents.eq(vat_cents),
            invoices::issued_at.eq(issued_at),
            invoices::buyer.eq(buyer),
            invoices::seller.eq(seller),
        ))
        .execute(conn)?;
    invoices::table
        .filter(invoices::number.eq(&number))
        .select(Invoice::as_select())
        .first(conn)
}

/// One document of an order, by its number.
pub fn by_number(conn: &mut DbConn, order_id: OrderId, number: &str) -> QueryResult<Invoice> {
    invoices::table
        .filter(invoices::order_id.eq(order_id))
        .filter(invoices::number.eq(number))
        .select(Invoice::as_select())
        .first(conn)
}

pub fn find(conn: &mut DbConn, order_id: OrderId, kind: Kind) -> QueryResult<Option<Invoice>> {
    invoices::table
        .filter(invoices::order_id.eq(order_id))
        .filter(invoices::kind.eq(kind.as_str()))
        .select(Invoice::as_select())
        .first(conn)
        .optional()
}

pub fn for_order(conn: &mut DbConn, order_id: OrderId) -> QueryResult<Vec<Invoice>> {
    invoices::table
        .filter(invoices::order_id.eq(order_id))
        .order(invoices::id)
        .select(Invoice::as_select())
        .load(conn)
}
