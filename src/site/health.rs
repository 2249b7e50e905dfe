//! Operations: the health endpoints a supervisor or a load balancer asks. `/healthz` says the
//! process answers; `/readyz` says whether it can serve (database reachable, migrations
//! current) and how the background work stands. Both are cheap, JSON, and hold no secret.

use std::sync::Arc;

use chrono::Duration;
use rocket::http::{ContentType, Status};
use rocket::{get, routes, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::db::now;
use crate::mail::outbox::{self, Backlog};
use crate::payments::model as payments;
use crate::site::db::DbRef;

pub fn routes() -> Vec<Route> {
    routes![healthz, readyz]
}

type Json = (Status, (ContentType, String));

fn json<T: Serialize>(status: Status, body: &T) -> Json {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".to_string());
    (status, (ContentType::JSON, text))
}

#[get("/healthz")]
fn healthz() -> Json {
    json(Status::Ok, &serde_json::json!({ "status": "ok" }))
}

#[derive(Serialize)]
struct Ready {
    status: &'static str,
    database: &'static str,
    pending_migrations: Option<usize>,
    outbox: Option<Backlog>,
    /// Card payments still open past `card_check_minutes`: the reconciliation's next work.
    payments_awaiting_reconciliation: Option<i64>,
    /// Emails visitors asked for, and those the limits held or refused (`mail::limits`).
    visitor_mail: Option<crate::mail::limits::Throttled>,
    /// The storefront pages kept in memory by this instance (see `site::page_cache`).
    page_cache: Option<crate::site::page_cache::CacheStats>,
    error: Option<&'static str>,
}

#[get("/readyz")]
async fn readyz(
    db: Option<DbRef>,
    shop: &State<Arc<Shop>>,
    cache: &State<Arc<crate::site::page_cache::PageCache>>,
) -> Json {
    let down = |error| Ready {
        status: "unavailable",
        database: "unreachable",
        pending_migrations: None,
        outbox: None,
        payments_awaiting_reconciliation: None,
        visitor_mail: None,
        page_cache: None,
        error: Some(error),
    };
    let Some(db) = db else {
        return json(Status::ServiceUnavailable, &down("no database connection"));
    };
    let check_before = now() - Duration::minutes(shop.settings().card_check_minutes.max(0));
    let limits = crate::mail::limits::Limits::of(&shop.settings());
    let read = db
        .run(move |c| -> Result<_, String> {
            let pending = c.pending_migrations()?;
            let backlog = outbox::backlog(c).map_err(|e| e.to_string())?;
            let awaiting =
                payments::count_open_before(c, check_before).map_err(|e| e.to_string())?;
            let mail = crate::mail::limits::throttled(c, limits).map_err(|e| e.to_string())?;
            Ok((pending, backlog, awaiting, mail))
        })
        .await;
    match read {
        Ok((pending, backlog, awaiting, mail)) => {
            let ready = pending == 0;
            json(
                if ready {
                    Status::Ok
                } else {
                    Status::ServiceUnavailable
                },
                &Ready {
                    status: if ready { "ready" } else { "migrations pending" },
                    database: "ok",
                    pending_migrations: Some(pending),
                    outbox: Some(backlog),
                    payments_awaiting_reconciliation: Some(awaiting),
                    visitor_mail: Some(mail),
                    page_cache: Some(cache.stats()),
                    error: None,
                },
            )
        }
        Err(e) => {
            log::error!("readiness check failed: {e}");
            json(Status::ServiceUnavailable, &down("database error"))
        }
    }
}
