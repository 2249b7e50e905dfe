//! The back-office's email log, with a button that sends a message again.

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, Route, State};
use serde::Serialize;

use crate::audit::{self};
use crate::config::Shop;
use crate::error::AppResult;
use crate::ids::OutboxId;
use crate::mail::limits::{self, Throttled};
use crate::mail::outbox::{self, MailStatus, OutboxMessage};
use crate::mail::MailWaker;
use crate::site::admin::pager_base;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::page_number;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Paged;
use crate::site::visitor::Staff;
use std::sync::Arc;

/// Rows a list page shows.
const PER_PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    routes![emails, resend]
}

#[derive(Serialize)]
struct EmailLog {
    status: String,
    emails: Paged<OutboxMessage>,
    pager_base: String,
    /// Emails visitors asked for, held or refused by the limits (`mail::limits`).
    visitor_mail: Throttled,
}

#[get("/emails?<status>&<page>")]
async fn emails(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    shop: &State<Arc<Shop>>,
    status: Option<String>,
    page: Option<i64>,
) -> AppResult<Html> {
    let limits = limits::Limits::of(&shop.settings());
    let page = page_number(page);
    let status = status
        .as_deref()
        .and_then(MailStatus::parse)
        .filter(|s| *s != MailStatus::Sending);
    let ((items, total), visitor_mail) = db
        .run(move |c| -> diesel::QueryResult<_> {
            Ok((
                outbox::list(c, status, page, PER_PAGE)?,
                limits::throttled(c, limits)?,
            ))
        })
        .await?;
    let status = status.map(|s| s.as_str().to_string());
    Ok(ctx.render(
        "admin/emails",
        EmailLog {
            pager_base: pager_base(&[("status", status.clone())]),
            status: status.unwrap_or_default(),
            emails: Paged::new(items, page, PER_PAGE, total),
            visitor_mail,
        },
    ))
}

#[post("/emails/<id>/resend", data = "<_form>")]
async fn resend(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    waker: &State<MailWaker>,
    id: OutboxId,
    _form: Protected<crate::site::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let actor = staff.0.id;
    let n = db
        .run(move |c| {
            c.write_tx(|c| {
                let n = outbox::requeue(c, id)?;
                if n > 0 {
                    audit::Change::new(Some(actor), "email.resend", "email")
                        .on(id)
                        .record(c)?;
                }
                Ok::<_, diesel::result::Error>(n)
            })
        })
        .await?;
    if n == 0 {
        return Err(crate::error::AppError::NotFound);
    }
    waker.wake();
    Ok(Flash::success(
        Redirect::to("/admin/emails"),
        ctx.lang().t("admin-email-requeued"),
    ))
}
