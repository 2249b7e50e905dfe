//! Refunds and their credit notes: chosen lines, part of the shipping and/or an amount given
//! back, once per submitted form. A refund is first reserved (pending) so that two refunds at
//! once can never give back more than was paid, then completed with its credit note, its email
//! and its audit row — or failed, which frees what it held. The order's balance (paid −
//! refunded) is never negative; when it reaches zero the order is refunded.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::config::Shop;
use crate::db::schema::{orders, refund_lines, refund_vat, refunds};
use crate::db::{now, DbConn};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::{OrderLineId, RefundId, UserId};
use crate::mail::outbox;
use crate::money::Money;
use crate::orders::invoices::{self, Invoice};
use crate::orders::model::{self, OrderLine, OrderView, Status};
use crate::orders::pdf;
use crate::orders::refund_rows::{self, by_key, Loaded, RefundVat};
pub use crate::orders::refund_rows::{
    by_id, for_order, pending_before, Refund, RefundLine, RefundStatus, RefundView,
};
use crate::orders::workflow;
use crate::templates::EmailKind;
use crate::totals::{self, Totals, VatLine};

/// What staff ask to give back.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// From the form (a token written into it): the same submit twice is one refund.
    pub key: String,
    /// `(order line id, quantity)`.
    pub lines: Vec<(OrderLineId, i32)>,
    pub shipping_cents: Money,
    pub amount_cents: Money,
    pub reason: String,
    /// Everything that is left, whatever the fields say.
    pub everything: bool,
    /// Everything, and the order cancelled: paid but not shipped, its goods go back on sale.
    pub cancels: bool,
}

/// Where an order's money stands.
#[derive(Debug, Clone, Serialize)]
pub struct Balance {
    pub paid_cents: Money,
    /// Given back or being given back (pending refunds hold their amount).
    pub refunded_cents: Money,
    pub balance_cents: Money,
    pub shipping_left_cents: Money,
    /// `(order line id, quantity left)`, in the order's line order.
    pub lines_left: Vec<(OrderLineId, i32)>,
    /// Given back so far at each rate.
    #[serde(skip)]
    refunded_vat: Vec<VatLine>,
    #[serde(skip)]
    refunded_lines: Vec<(OrderLineId, i32, Money)>,
}

impl Balance {
    fn line_left(&self, line_id: OrderLineId) -> i32 {
        self.lines_left
            .iter()
            .find(|(id, _)| *id == line_id)
            .map_or(0, |(_, q)| *q)
    }
}

/// Why a refund was refused (the message key says it to staff).
#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("refund refused: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for RefundError {
    fn from(e: diesel::result::Error) -> Self {
        RefundError::App(AppError::Db(e))
    }
}

/// The money of an order: what was paid, what refunds hold, what is left per line and of the
/// shipping.
pub fn balance(c: &mut DbConn, view: &OrderView) -> QueryResult<Balance> {
    let order = &view.order;
    let paid_cents = if order.paid_at.is_some() {
        order.total_cents
    } else {
        Money::ZERO
    };
    let Loaded {
        refunds: held,
        lines,
        vat,
    } = refund_rows::of_order(c, order.id, true)?;
    let refunded_cents: Money = held.iter().map(|r| r.total_cents).sum();
    let shipping_given: Money = held.iter().map(|r| r.shipping_cents).sum();
    let refunded_lines: Vec<(OrderLineId, i32, Money)> = view
        .lines
        .iter()
        .map(|l| {
            let of_line = lines.iter().filter(|r| r.order_line_id == l.id);
            let (q, t) = of_line.fold((0, Money::ZERO), |(q, t), r| {
                (q + r.quantity, t + r.total_cents)
            });
            (l.id, q, t)
        })
        .collect();
    Ok(Balance {
        paid_cents,
        refunded_cents,
        balance_cents: paid_cents - refunded_cents,
        shipping_left_cents: (order.shipping_cents - shipping_given).max(Money::ZERO),
        lines_left: view
            .lines
            .iter()
            .zip(&refunded_lines)
            .map(|(l, (_, q, _))| (l.id, (l.quantity - q).max(0)))
            .collect(),
        refunded_vat: vat.into_iter().map(VatLine::from).collect(),
        refunded_lines,
    })
}

/// The amount of `quantity` units of `line` given back, when `given` units worth `given_cents`
/// already were: the last unit takes what is left of the line, so a line refunded in parts
/// adds up to what it cost.
fn line_amount(line: &OrderLine, quantity: i32, given: i32, given_cents: Money) -> Money {
    // What was paid for the line (after its share of a discount code), unit by unit; the
    // last units give back what is left, so a line refunded in parts adds up to it exactly.
    if given + quantity >= line.quantity {
        line.paid_cents() - given_cents
    } else {
        line.paid_cents() * i64::from(quantity) / i64::from(line.quantity.max(1))
    }
}

/// Reserves the refund `request` asks for (pending), or returns the one this form already
/// made. Call inside a transaction.
pub fn reserve(
    c: &mut DbConn,
    view: &OrderView,
    request: &Request,
    actor: Option<UserId>,
) -> Result<Refund, RefundError> {
    let order = &view.order;
    // Two refunds of one order at once: the second waits for the first to commit and then
    // sees what it holds (a row lock on PostgreSQL; SQLite has one writer at a time).
    diesel::update(orders::table.find(order.id))
        .set(orders::updated_at.eq(orders::updated_at))
        .execute(c)?;
    if let Some(existing) = by_key(c, order.id, &request.key)? {
        return Ok(existing);
    }
    // The status as it is now, under the lock (the view may be older).
    let status: Status = orders::table
        .find(order.id)
        .select(orders::status)
        .first(c)?;
    if !workflow::refundable(status) {
        return Err(RefundError::Invalid("refund-not-refundable"));
    }
    if request.cancels && status != Status::Paid {
        return Err(RefundError::Invalid("refund-cancel-shipped"));
    }
    if request.reason.chars().count() > 500 {
        return Err(RefundError::Invalid("refund-reason-too-long"));
    }
    let balance = balance(c, view)?;
    if !balance.balance_cents.is_positive() {
        return Err(RefundError::Invalid("refund-above-balance"));
    }
    let (lines, totals) = plan(view, &balance, request)?;
    if !totals.total_cents.is_positive() {
        return Err(RefundError::Invalid("refund-nothing"));
    }
    if totals.total_cents > balance.balance_cents {
        return Err(RefundError::Invalid("refund-above-balance"));
    }
    let id: RefundId = diesel::insert_into(refunds::table)
        .values((
            refunds::order_id.eq(order.id),
            refunds::request_key.eq(&request.key),
            refunds::status.eq(RefundStatus::Pending),
            refunds::total_cents.eq(totals.total_cents),
            refunds::shipping_cents.eq(totals.shipping_cents),
            refunds::amount_cents.eq(totals.items_cents - lines.iter().map(|l| l.1).sum::<Money>()),
            refunds::cancels.eq(request.cancels),
            refunds::reason.eq(request.reason.trim()),
            refunds::actor_id.eq(actor),
            refunds::created_at.eq(now()),
        ))
        .returning(refunds::id)
        .get_result(c)?;
    for (line_id, total_cents, quantity) in lines.iter().map(|&(l, t)| (l.0, t, l.1)) {
        diesel::insert_into(refund_lines::table)
            .values(RefundLine {
                refund_id: id,
                order_line_id: line_id,
                quantity,
                total_cents,
            })
            .execute(c)?;
    }
    for v in &totals.vat {
        diesel::insert_into(refund_vat::table)
            .values(RefundVat {
                refund_id: id,
                rate_bp: v.rate_bp,
                gross_cents: v.gross_cents,
                shipping_cents: v.shipping_cents,
                vat_cents: v.vat_cents,
            })
            .execute(c)?;
    }
    Ok(by_id(c, id)?)
}

type PlannedLine = ((OrderLineId, i32), Money);

/// The lines and the totals a request gives back, checked against what is left.
fn plan(
    view: &OrderView,
    balance: &Balance,
    request: &Request,
) -> Result<(Vec<PlannedLine>, Totals), RefundError> {
    let mut chosen: Vec<PlannedLine> = Vec::new();
    let mut rated: Vec<(i32, Money)> = Vec::new();
    let everything = request.everything || request.cancels;
    let wanted: Vec<(OrderLineId, i32)> = if everything {
        balance.lines_left.clone()
    } else {
        request.lines.clone()
    };
    for (line_id, quantity) in wanted {
        if quantity == 0 {
            continue;
        }
        let line = view
            .lines
            .iter()
            .find(|l| l.id == line_id)
            .ok_or(RefundError::Invalid("refund-unknown-line"))?;
        if quantity < 0 || quantity > balance.line_left(line_id) {
            return Err(RefundError::Invalid("refund-too-many"));
        }
        let (_, given, given_cents) = balance
            .refunded_lines
            .iter()
            .copied()
            .find(|(id, _, _)| *id == line_id)
            .unwrap_or((line_id, 0, Money::ZERO));
        let amount = line_amount(line, quantity, given, given_cents);
        chosen.push(((line_id, quantity), amount));
        rated.push((line.vat_rate_bp, amount));
    }
    let (shipping, amount) = if everything {
        (balance.shipping_left_cents, Money::ZERO)
    } else {
        (request.shipping_cents, request.amount_cents)
    };
    if shipping.is_negative() || shipping > balance.shipping_left_cents {
        return Err(RefundError::Invalid("refund-shipping-too-much"));
    }
    if amount.is_negative() {
        return Err(RefundError::Invalid("refund-nothing"));
    }
    let mut totals = totals::refund(
        &view.totals.vat,
        &balance.refunded_vat,
        rated,
        shipping,
        amount,
    );
    // Everything left is the balance, even after gestures that were not tied to lines: what
    // goods and shipping would exceed is left out, rate by rate, as the totals function does.
    if everything && totals.total_cents > balance.balance_cents {
        totals = totals::refund(
            &view.totals.vat,
            &balance.refunded_vat,
            [],
            Money::ZERO,
            balance.balance_cents,
        );
        chosen.clear();
    }
    Ok((chosen, totals))
}

/// Completes a pending refund: its credit note, the order refunded when nothing is left, the
/// customer's email and the audit row. A refund no longer pending (completed by a concurrent
/// request or by the reconciliation) is left as it is. Returns the refund as it now stands.
/// Call inside a transaction.
pub fn complete(
    c: &mut DbConn,
    shop: &Shop,
    refund_id: RefundId,
    provider_refund_id: Option<&str>,
) -> Result<Refund, AppError> {
    let done_at = now();
    let changed = diesel::update(
        refunds::table
            .filter(refunds::id.eq(refund_id))
            .filter(refunds::status.eq(RefundStatus::Pending)),
    )
    .set((
        refunds::status.eq(RefundStatus::Succeeded),
        refunds::provider_refund_id.eq(provider_refund_id),
        refunds::completed_at.eq(Some(done_at)),
    ))
    .execute(c)?;
    let refund = by_id(c, refund_id)?;
    if changed == 0 {
        return Ok(refund);
    }
    let order = model::by_id(c, refund.order_id)?;
    let vat: Money = refund_vat::table
        .filter(refund_vat::refund_id.eq(refund_id))
        .select(refund_vat::vat_cents)
        .load::<Money>(c)?
        .into_iter()
        .sum();
    let seller = invoices::Seller::of(&shop.settings());
    let note = invoices::issue_credit_note(c, &order, &seller, refund.total_cents, vat)?;
    diesel::update(refunds::table.find(refund_id))
        .set(refunds::credit_note_id.eq(Some(note.id)))
        .execute(c)?;
    let view = model::view(c, &order.number)?;
    let balance = balance(c, &view)?;
    // Nothing left: refunded — or cancelled, its goods back on sale, when it never shipped.
    let status = match (balance.balance_cents.is_zero(), refund.cancels) {
        (true, true) if workflow::mark_cancelled(c, order.id)? => {
            workflow::restock(
                c,
                &view,
                crate::catalog::stock::REASON_CANCELLED,
                refund.actor_id,
            )?;
            Status::Cancelled
        }
        (true, false) if workflow::mark_refunded(c, order.id)? => Status::Refunded,
        _ => order.status,
    };
    audit::Change::new(refund.actor_id, "order.refund", "order")
        .on(order.id)
        .before(&serde_json::json!({
            "status": order.status.as_str(),
            "balance_cents": balance.balance_cents + refund.total_cents,
        }))
        .after(&serde_json::json!({
            "status": status.as_str(),
            "balance_cents": balance.balance_cents,
            "refunded_cents": refund.total_cents,
            "credit_note": note.number,
        }))
        .record(c)?;
    email(c, shop, &view, &refund, &note, &balance)?;
    Ok(by_id(c, refund_id)?)
}

#[derive(Serialize)]
struct RefundEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    refund: &'a Refund,
    credit_note: &'a Invoice,
    balance: &'a Balance,
    shop_name: &'a str,
    link: String,
}

fn email(
    c: &mut DbConn,
    shop: &Shop,
    view: &OrderView,
    refund: &Refund,
    note: &Invoice,
    balance: &Balance,
) -> Result<(), AppError> {
    let lang = Lang::parse(&view.order.locale).unwrap_or_default();
    let data = RefundEmail {
        view,
        refund,
        credit_note: note,
        balance,
        shop_name: &shop.settings().shop_name,
        link: shop.order_link(&view.order.number),
    };
    let email = shop
        .mail
        .render(EmailKind::OrderRefunded, &view.order.email, lang, &data)
        .map_err(|e| AppError::Mail(e.to_string()))?;
    let queued = outbox::enqueue(c, &email, Some(view.order.id))?;
    // The credit note travels with it.
    let file = pdf::attachment(c, &shop.settings(), &view.order.number, note)?;
    outbox::attach(c, queued, &file)?;
    Ok(())
}

/// Marks a pending refund failed: it gives nothing back and frees the balance it held.
pub fn fail(c: &mut DbConn, refund_id: RefundId, error: &str) -> QueryResult<usize> {
    let error: String = error.chars().take(500).collect();
    diesel::update(
        refunds::table
            .filter(refunds::id.eq(refund_id))
            .filter(refunds::status.eq(RefundStatus::Pending)),
    )
    .set((
        refunds::status.eq(RefundStatus::Failed),
        refunds::error.eq(Some(error)),
        refunds::completed_at.eq(Some(now())),
    ))
    .execute(c)
}
