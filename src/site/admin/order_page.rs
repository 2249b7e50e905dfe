//! The back-office page of one order: its lines, steps, payment, documents, refunds, returns
//! and emails, with the refund and return forms as staff typed them when one comes back.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::AppResult;
use crate::mail::outbox::{self, OutboxMessage};
use crate::orders::invoices::{self, Invoice};
use crate::orders::model::{self, OrderView};
use crate::orders::refunds::{self, Balance, RefundView};
use crate::orders::returns::{self, Condition, ReturnedItem};
use crate::orders::workflow;
use crate::payments::model as payments;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;

#[derive(Serialize)]
struct OrderDetail {
    #[serde(flatten)]
    view: OrderView,
    steps: Vec<&'static str>,
    emails: Vec<OutboxMessage>,
    invoices: Vec<Invoice>,
    payment: Option<payments::Payment>,
    payment_events: Vec<payments::EventRow>,
    refunds: Vec<RefundView>,
    balance: Balance,
    returned: Vec<ReturnedItem>,
    withdrawal: Option<crate::orders::withdrawals::Withdrawal>,
    /// When the buyer declared being 18 or over (an order holding alcohol).
    age_declared_at: Option<chrono::NaiveDateTime>,
    refundable: bool,
    returnable: bool,
    conditions: Vec<&'static str>,
    /// What staff typed in the refund and return forms, when one comes back with its error.
    drafts: Drafts,
}

/// The refund and return forms as typed, with the error that sent them back.
#[derive(Debug, Default, Serialize)]
pub struct Drafts {
    /// A fresh token for the refund form: the same submit twice is one refund.
    pub refund_key: String,
    pub refund_qty: HashMap<String, String>,
    pub refund_shipping: bool,
    pub refund_amount: String,
    pub refund_reason: String,
    pub refund_error: Option<String>,
    pub return_qty: HashMap<String, String>,
    pub return_condition: HashMap<String, String>,
    pub return_restock: HashMap<String, bool>,
    pub return_note: String,
    pub return_error: Option<String>,
}

/// An order's back-office page, with the refund and return forms as `drafts` holds them.
pub async fn detail_page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    number: String,
    mut drafts: Drafts,
) -> AppResult<Html> {
    let page = db
        .run(move |c| -> diesel::QueryResult<_> {
            let view = model::view(c, &number)?;
            let id = view.order.id;
            Ok(OrderDetail {
                steps: workflow::available_steps(view.order.status),
                refundable: workflow::refundable(view.order.status),
                returnable: returns::returnable(view.order.status),
                emails: outbox::for_order(c, id)?,
                invoices: invoices::for_order(c, id)?,
                payment: payments::for_order(c, id)?,
                payment_events: payments::events_of(c, id)?,
                refunds: refunds::for_order(c, id)?,
                balance: refunds::balance(c, &view)?,
                returned: returns::for_order(c, id)?,
                withdrawal: crate::orders::withdrawals::for_order(c, id)?,
                age_declared_at: model::age_declared_at(c, id)?,
                conditions: Condition::ALL.iter().map(|c| c.as_str()).collect(),
                view,
                drafts: Drafts::default(),
            })
        })
        .await?;
    if drafts.refund_key.is_empty() {
        drafts.refund_key = crate::auth::new_token().0;
    }
    Ok(ctx.render("admin/orders/detail", OrderDetail { drafts, ..page }))
}
