//! All Diesel code for reading `refunds`, `refund_lines` and `refund_vat`: the rows, a refund
//! with its lines, VAT and credit note, and the lookups the refund service and the documents
//! share (writing them is the refund service's, `refunds.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{invoices as invoices_table, refund_lines, refund_vat, refunds};
use crate::db::{text_enum, DbConn};
use crate::ids::{InvoiceId, OrderId, OrderLineId, RefundId, UserId};
use crate::money::Money;
use crate::orders::invoices::Invoice;
use crate::totals::VatLine;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    /// Reserved; the payment provider is being asked.
    Pending,
    Succeeded,
    /// The provider refused or could not be reached: nothing was given back.
    Failed,
}

impl RefundStatus {
    pub const ALL: [RefundStatus; 3] = [
        RefundStatus::Pending,
        RefundStatus::Succeeded,
        RefundStatus::Failed,
    ];

    pub fn parse(s: &str) -> Option<RefundStatus> {
        RefundStatus::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Pending => "pending",
            RefundStatus::Succeeded => "succeeded",
            RefundStatus::Failed => "failed",
        }
    }
}

text_enum!(RefundStatus);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = refunds)]
pub struct Refund {
    pub id: RefundId,
    pub order_id: OrderId,
    pub request_key: String,
    pub status: RefundStatus,
    /// Everything given back, tax included.
    pub total_cents: Money,
    /// Of which shipping.
    pub shipping_cents: Money,
    /// Of which an amount not tied to lines.
    pub amount_cents: Money,
    /// It cancels the order (paid, not shipped): the goods go back on sale when it completes.
    pub cancels: bool,
    pub reason: String,
    pub provider_refund_id: Option<String>,
    pub error: Option<String>,
    pub credit_note_id: Option<InvoiceId>,
    pub actor_id: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = refund_lines)]
pub struct RefundLine {
    pub refund_id: RefundId,
    pub order_line_id: OrderLineId,
    pub quantity: i32,
    pub total_cents: Money,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refund_vat)]
pub struct RefundVat {
    pub refund_id: RefundId,
    pub rate_bp: i32,
    pub gross_cents: Money,
    pub shipping_cents: Money,
    pub vat_cents: Money,
}

impl From<RefundVat> for VatLine {
    fn from(v: RefundVat) -> VatLine {
        VatLine {
            rate_bp: v.rate_bp,
            gross_cents: v.gross_cents,
            shipping_cents: v.shipping_cents,
            vat_cents: v.vat_cents,
        }
    }
}

/// A refund with what its credit note says, for the order's pages.
#[derive(Debug, Serialize)]
pub struct RefundView {
    #[serde(flatten)]
    pub refund: Refund,
    pub lines: Vec<RefundLine>,
    pub vat: Vec<VatLine>,
    pub credit_note: Option<Invoice>,
}

pub fn by_id(c: &mut DbConn, id: RefundId) -> QueryResult<Refund> {
    refunds::table.find(id).select(Refund::as_select()).first(c)
}

pub fn by_key(c: &mut DbConn, order_id: OrderId, key: &str) -> QueryResult<Option<Refund>> {
    refunds::table
        .filter(refunds::order_id.eq(order_id))
        .filter(refunds::request_key.eq(key))
        .select(Refund::as_select())
        .first(c)
        .optional()
}

/// Pending refunds reserved before `before` (a crash or a timeout between the provider and
/// the database): the reconciliation asks the provider again with the same key.
pub fn pending_before(
    c: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Refund>> {
    refunds::table
        .filter(refunds::status.eq(RefundStatus::Pending))
        .filter(refunds::created_at.lt(before))
        .order(refunds::id)
        .limit(limit)
        .select(Refund::as_select())
        .load(c)
}

/// An order's refunds in the order they were made, with their lines and VAT lines (three
/// queries, whatever the count).
pub struct Loaded {
    pub refunds: Vec<Refund>,
    pub lines: Vec<RefundLine>,
    pub vat: Vec<RefundVat>,
}

/// [`Loaded`] for `order_id`: every refund, or with `holding`, those that hold money (not
/// failed).
pub fn of_order(c: &mut DbConn, order_id: OrderId, holding: bool) -> QueryResult<Loaded> {
    let mut q = refunds::table
        .filter(refunds::order_id.eq(order_id))
        .order(refunds::id)
        .select(Refund::as_select())
        .into_boxed();
    if holding {
        q = q.filter(refunds::status.ne(RefundStatus::Failed));
    }
    let refunds: Vec<Refund> = q.load(c)?;
    let ids: Vec<RefundId> = refunds.iter().map(|r| r.id).collect();
    let lines: Vec<RefundLine> = refund_lines::table
        .filter(refund_lines::refund_id.eq_any(&ids))
        .select(RefundLine::as_select())
        .load(c)?;
    let vat: Vec<RefundVat> = refund_vat::table
        .filter(refund_vat::refund_id.eq_any(&ids))
        .order(refund_vat::rate_bp.desc())
        .select(RefundVat::as_select())
        .load(c)?;
    Ok(Loaded {
        refunds,
        lines,
        vat,
    })
}

/// An order's refunds, newest last, with their lines, VAT and credit notes.
pub fn for_order(c: &mut DbConn, order_id: OrderId) -> QueryResult<Vec<RefundView>> {
    let Loaded {
        refunds: found,
        lines,
        vat,
    } = of_order(c, order_id, false)?;
    let notes: Vec<Invoice> = invoices_table::table
        .filter(invoices_table::order_id.eq(order_id))
        .select(Invoice::as_select())
        .load(c)?;
    Ok(found
        .into_iter()
        .map(|refund| RefundView {
            lines: lines
                .iter()
                .filter(|l| l.refund_id == refund.id)
                .cloned()
                .collect(),
            vat: vat
                .iter()
                .filter(|v| v.refund_id == refund.id)
                .cloned()
                .map(VatLine::from)
                .collect(),
            credit_note: notes
                .iter()
                .find(|n| Some(n.id) == refund.credit_note_id)
                .cloned(),
            refund,
        })
        .collect())
}
