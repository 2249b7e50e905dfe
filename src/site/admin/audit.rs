//! The back-office's audit log: who did what, filtered by person, action and dates.

use rocket::{get, routes, Route};
use serde::Serialize;

use crate::audit::{self, Entry};
use crate::error::AppResult;
use crate::site::admin::pager_base;
use crate::site::db::DbRef;
use crate::site::page::page_number;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Paged;
use crate::site::visitor::Staff;

/// Rows a list page shows.
const PER_PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    routes![audit_log]
}

#[derive(Serialize)]
struct AuditPage {
    actor: String,
    action: String,
    from: String,
    to: String,
    entries: Paged<Entry>,
    pager_base: String,
}

#[allow(clippy::too_many_arguments)]
#[get("/audit?<actor>&<action>&<from>&<to>&<page>")]
async fn audit_log(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    actor: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let range = crate::site::admin::day_range(from.as_deref(), to.as_deref());
    let filter = audit::Filter {
        actor: actor.clone().map(|a| a.chars().take(254).collect()),
        action: action.clone().map(|a| a.chars().take(64).collect()),
        from: range.0,
        until: range.1,
    };
    let (items, total) = db
        .run(move |c| audit::search(c, &filter, page, PER_PAGE))
        .await?;
    Ok(ctx.render(
        "admin/audit",
        AuditPage {
            pager_base: pager_base(&[
                ("actor", actor.clone()),
                ("action", action.clone()),
                ("from", from.clone()),
                ("to", to.clone()),
            ]),
            actor: actor.unwrap_or_default(),
            action: action.unwrap_or_default(),
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
            entries: Paged::new(items, page, PER_PAGE, total),
        },
    ))
}
