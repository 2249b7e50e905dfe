//! Unpaid bank-transfer orders don't hold stock forever: a periodic task cancels those older
//! than `unpaid_cancel_days`, returns their stock, emails the customer and logs the step.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use diesel::prelude::*;
use rocket::fairing::AdHoc;
use serde::Serialize;

use super::model::{self, OrderView, Payment, Status};
use crate::audit;
use crate::config::Shop;
use crate::db::now;
use crate::db::schema::orders;
use crate::db::{Db, DbConn};
use crate::mail::{outbox, MailWaker};
use crate::payments::service::reconcile;
use crate::payments::Payments;
use crate::web::i18n::Lang;

#[derive(Serialize)]
struct CancelEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    shop_name: &'a str,
    days: i64,
}

/// One beat of the periodic tasks: cancels overdue unpaid orders, then sweeps ended sessions
/// and old login attempts. Returns how many orders were cancelled (their emails are queued).
pub fn run_once(conn: &mut DbConn, shop: &Shop) -> Result<usize, crate::error::AppError> {
    let cancelled = cancel_overdue(conn, shop)?;
    let idle = Duration::minutes(shop.settings().session_idle_minutes.max(1));
    crate::auth::session::purge_expired(conn, idle)?;
    crate::accounts::throttle::purge(conn)?;
    crate::catalog::csv_io::purge_pending(conn)?;
    crate::catalog::alerts::purge_unconfirmed(conn)?;
    Ok(cancelled)
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
    super::workflow::restock(c, &view, crate::catalog::stock::REASON_UNPAID, None)?;
    audit::Change::new(None, "order.cancelled_unpaid", "order")
        .on(view.order.id)
        .before(&serde_json::json!({ "status": Status::AwaitingPayment.as_str() }))
        .after(&serde_json::json!({ "status": Status::Cancelled.as_str() }))
        .record(c)?;
    let lang = Lang::parse(&view.order.locale).unwrap_or_default();
    let email = shop
        .mail
        .render(
            "order_cancelled_unpaid",
            &view.order.email,
            lang,
            &CancelEmail {
                view: &view,
                shop_name: &shop.settings().shop_name,
                days: shop.settings().unpaid_cancel_days,
            },
        )
        .map_err(|e| crate::error::AppError::Mail(e.to_string()))?;
    outbox::enqueue(c, "order_cancelled_unpaid", &email, Some(view.order.id))?;
    Ok(1)
}

/// Runs the check at start-up and then every `unpaid_check_secs`.
pub fn fairing() -> AdHoc {
    AdHoc::on_liftoff("Unpaid order expiry", |rocket| {
        Box::pin(async move {
            let (Some(shop), Some(tasks), Some(pool), Some(waker), Some(payments)) = (
                rocket.state::<Arc<Shop>>().cloned(),
                rocket.state::<crate::ops::tasks::Tasks>().cloned(),
                Db::pool(rocket).cloned(),
                rocket.state::<MailWaker>().cloned(),
                rocket.state::<Payments>().cloned(),
            ) else {
                log::error!("unpaid-order expiry not started: missing state");
                return;
            };
            if !shop.settings().background_tasks {
                return;
            }
            let every = StdDuration::from_secs(shop.settings().unpaid_check_secs.max(1));
            tasks.every(rocket.shutdown(), None, move || {
                let (shop, pool, waker, payments) = (
                    Arc::clone(&shop),
                    pool.clone(),
                    waker.clone(),
                    payments.clone(),
                );
                async move {
                    if let Some(db) = pool.get().await {
                        let s = Arc::clone(&shop);
                        match db.run(move |c| run_once(c, &s)).await {
                            Ok(0) => {}
                            Ok(n) => {
                                log::info!("cancelled {n} unpaid order(s)");
                                waker.wake();
                            }
                            Err(e) => log::error!("periodic tasks failed: {e}"),
                        }
                        if let Some(provider) = payments.provider.clone() {
                            let s = Arc::clone(&shop);
                            let done = db.run(move |c| reconcile(c, &s, provider.as_ref())).await;
                            match done {
                                Ok(r) if r.paid + r.cancelled > 0 => {
                                    log::info!(
                                        "card payments: {} paid, {} unpaid cancelled",
                                        r.paid,
                                        r.cancelled
                                    );
                                    waker.wake();
                                }
                                Ok(_) => {}
                                Err(e) => log::error!("card reconciliation failed: {e}"),
                            }
                        }
                    }
                    every
                }
            });
        })
    })
}
