//! The back-office's audit log: who did what, filtered by person, action and dates.

use rocket::{get, routes, FromForm, Route};
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

/// The log's filters, as the query gives them and the form shows them again.
#[derive(Debug, Default, FromForm, Serialize)]
struct AuditFilters {
    #[field(default = String::new())]
    actor: String,
    #[field(default = String::new())]
    action: String,
    #[field(default = String::new())]
    from: String,
    #[field(default = String::new())]
    to: String,
}

#[derive(Serialize)]
struct AuditPage {
    #[serde(flatten)]
    filters: AuditFilters,
    entries: Paged<Entry>,
    pager_base: String,
}

#[get("/audit?<page>&<filters..>")]
async fn audit_log(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    filters: AuditFilters,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let range =
        crate::site::admin::day_range(some(&filters.from).as_deref(), some(&filters.to).as_deref());
    let filter = audit::Filter {
        actor: some(&filters.actor).map(|a| a.chars().take(254).collect()),
        action: some(&filters.action).map(|a| a.chars().take(64).collect()),
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
                ("actor", some(&filters.actor)),
                ("action", some(&filters.action)),
                ("from", some(&filters.from)),
                ("to", some(&filters.to)),
            ]),
            filters,
            entries: Paged::new(items, page, PER_PAGE, total),
        },
    ))
}
