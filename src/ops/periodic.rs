//! The periodic round, run at start-up and then every `unpaid_check_secs`: cancels overdue unpaid
//! orders, asks the payment provider about card payments whose webhook never came, and sweeps
//! what has expired (sessions, login attempts, pending imports, unconfirmed alerts).

use crate::config::Shop;
use crate::db::{DbConn, Runner};
use crate::payments::service::reconcile;
use crate::payments::Payments;
use std::sync::Arc;

/// One beat of the periodic tasks: cancels overdue unpaid orders, then sweeps ended sessions
/// and old login attempts. Returns how many orders were cancelled (their emails are queued).
pub fn run_once(conn: &mut DbConn, shop: &Shop) -> Result<usize, crate::error::AppError> {
    let cancelled = crate::orders::expiry::cancel_overdue(conn, shop)?;
    let idle = {
        let settings = shop.settings();
        crate::auth::session::Idle::minutes(
            settings.session_idle_minutes,
            settings.staff_session_idle_minutes,
        )
    };
    crate::auth::session::purge_expired(conn, idle)?;
    crate::accounts::throttle::purge(conn)?;
    crate::catalog::csv_io::purge_pending(conn)?;
    crate::catalog::alerts::purge_unconfirmed(conn)?;
    crate::mail::limits::purge(conn)?;
    Ok(cancelled)
}

/// One round in the background: [`run_once`], then the card reconciliation. Returns whether it
/// queued mail (the sender is then woken).
pub async fn round(pool: &impl Runner, shop: &Arc<Shop>, payments: &Payments) -> bool {
    let mut queued = false;
    let s = Arc::clone(shop);
    match pool.run(move |c| run_once(c, &s)).await {
        None | Some(Ok(0)) => {}
        Some(Ok(n)) => {
            log::info!("cancelled {n} unpaid order(s)");
            queued = true;
        }
        Some(Err(e)) => log::error!("periodic tasks failed: {e}"),
    }
    if let Some(provider) = payments.provider.clone() {
        let s = Arc::clone(shop);
        match pool.run(move |c| reconcile(c, &s, provider.as_ref())).await {
            Some(Ok(r)) if r.paid + r.cancelled > 0 => {
                log::info!(
                    "card payments: {} paid, {} unpaid cancelled",
                    r.paid,
                    r.cancelled
                );
                queued = true;
            }
            Some(Ok(_)) | None => {}
            Some(Err(e)) => log::error!("card reconciliation failed: {e}"),
        }
    }
    queued
}
