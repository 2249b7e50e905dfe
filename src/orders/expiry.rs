//! Unpaid bank-transfer orders don't hold stock forever: the periodic round (`ops::periodic`)
//! cancels those older than `unpaid_cancel_days`, returns their stock, emails the customer and
//! logs the step.

use chrono::Duration;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::config::Shop;
use crate::db::now;
use crate::db::schema::orders;
use crate::db::DbConn;
use crate::i18n::Lang;
use crate::mail::outbox;
use crate::orders::model::{self, OrderView, Payment, Status};
use crate::templates::EmailKind;

#[derive(Serialize)]
struct CancelEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    shop_name: &'a str,
    days: i64,
}

/// Cancels every overdue unpaid bank-transfer order; returns how many were cancelled.
pub fn cancel_overdue(conn: &mut DbConn, shop: &Shop) -> Result<usize, crate::error::AppError> {
    let cutoff = now() - Duration::days(shop.settings().unpaid_cancel_days);
    let due: Vec<String> = orders::table
        .filter(orders::status.eq(Status::AwaitingPayment))
        .filter(orders::payment_method.eq(Payment::BankTransfer))
        .filter(orders::created_at.lt(cutoff))
        .order(orders::id)
        .limit(500)
        .select(orders::number)
        .load(conn)?;
    let mut cancelled = 0;
    for number in due {
        cancelled += conn.write_tx(|c| cancel_one(c, shop, &number))?;
    }
    Ok(cancelled)
}

fn cancel_one(c: &mut DbConn, shop: &Shop, number: &str) -> Result<usize, crate::error::AppError> {
    let now = now();
    // Only if it is still unpaid: a payment recorded meanwhile wins.
    let changed = diesel::update(
        orders::table
            .filter(orders::number.eq(number))
            .filter(orders::status.eq(Status::AwaitingPayment)),
    )
    .set((
        orders::status.eq(Status::Cancelled),
        orders::cancelled_at.eq(Some(now)),
        orders::updated_at.eq(now),
    ))
    .execute(c)?;
    if changed == 0 {
        return Ok(0);
    }
    let view = model::view(c, number)?;
    crate::orders::workflow::restock(c, &view, crate::catalog::stock::REASON_UNPAID, None)?;
    audit::Change::new(None, "order.cancelled_unpaid", "order")
        .on(view.order.id)
        .before(&serde_json::json!({ "status": Status::AwaitingPayment.as_str() }))
        .after(&serde_json::json!({ "status": Status::Cancelled.as_str() }))
        .record(c)?;
    let lang = Lang::parse(&view.order.locale).unwrap_or_default();
    let email = shop
        .mail
        .render(
            EmailKind::OrderCancelledUnpaid,
            &view.order.email,
            lang,
            &CancelEmail {
                view: &view,
                shop_name: &shop.settings().shop_name,
                days: shop.settings().unpaid_cancel_days,
            },
        )
        .map_err(|e| crate::error::AppError::Mail(e.to_string()))?;
    outbox::enqueue(c, &email, Some(view.order.id))?;
    Ok(1)
}
