//! Back-office customers (list, search, their orders, disable), the email log with its resend
//! button, and the audit log.

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use super::pager_base;
use crate::accounts::model::{self as accounts, User};
use crate::audit::{self, Entry};
use crate::auth::{Protected, Role, Staff};
use crate::db::DbRef;
use crate::error::AppResult;
use crate::mail::outbox::{self, OutboxMessage};
use crate::mail::MailWaker;
use crate::orders::model::{self as orders, Order};
use crate::web::{page_number, Html, PageCtx, Paged};

const PER_PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    routes![customers, customer, set_disabled, emails, resend, audit_log]
}

#[derive(Serialize)]
struct CustomerList {
    q: String,
    customers: Paged<User>,
    pager_base: String,
}

#[get("/customers?<q>&<page>")]
async fn customers(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    q: Option<String>,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let q: String = q.unwrap_or_default().chars().take(100).collect();
    let text = q.clone();
    let (items, total) = db
        .run(move |c| accounts::search(c, Role::Customer, &text, page, PER_PAGE))
        .await?;
    Ok(ctx.render(
        "admin/customers/list",
        CustomerList {
            pager_base: pager_base(&[("q", Some(q.clone()))]),
            q,
            customers: Paged::new(items, page, PER_PAGE, total),
        },
    ))
}

#[derive(Serialize)]
struct CustomerPage {
    customer: User,
    orders: Vec<Order>,
}

#[get("/customers/<id>")]
async fn customer(db: DbRef, ctx: PageCtx<'_>, _staff: Staff, id: i64) -> AppResult<Html> {
    let (customer, orders) = db
        .run(move |c| -> diesel::QueryResult<_> {
            Ok((accounts::find(c, id)?, orders::for_user(c, id)?))
        })
        .await?;
    Ok(ctx.render("admin/customers/detail", CustomerPage { customer, orders }))
}

#[derive(Debug, FromForm)]
pub struct DisableForm {
    #[field(default = false)]
    pub disabled: bool,
}

#[post("/customers/<id>/disabled", data = "<form>")]
async fn set_disabled(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    id: i64,
    form: Protected<DisableForm>,
) -> AppResult<Flash<Redirect>> {
    let back = Redirect::to(format!("/admin/customers/{id}"));
    let user = db.run(move |c| accounts::find(c, id)).await?;
    // Staff accounts are managed by admins, on their own page.
    if user.role() != Role::Customer {
        return Ok(Flash::error(back, ctx.lang().t("admin-not-a-customer")));
    }
    let (disabled, actor) = (form.disabled, staff.0.id);
    db.run(move |c| accounts::set_disabled(c, id, disabled, actor))
        .await?;
    let key = if disabled {
        "admin-customer-disabled"
    } else {
        "admin-customer-enabled"
    };
    Ok(Flash::success(back, ctx.lang().t(key)))
}

#[derive(Serialize)]
struct EmailLog {
    status: String,
    emails: Paged<OutboxMessage>,
    pager_base: String,
}

#[get("/emails?<status>&<page>")]
async fn emails(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    status: Option<String>,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let status = status.filter(|s| ["queued", "sent", "failed"].contains(&s.as_str()));
    let filter = status.clone();
    let (items, total) = db
        .run(move |c| outbox::list(c, filter.as_deref(), page, PER_PAGE))
        .await?;
    Ok(ctx.render(
        "admin/emails",
        EmailLog {
            pager_base: pager_base(&[("status", status.clone())]),
            status: status.unwrap_or_default(),
            emails: Paged::new(items, page, PER_PAGE, total),
        },
    ))
}

#[post("/emails/<id>/resend", data = "<_form>")]
async fn resend(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    waker: &State<MailWaker>,
    id: i64,
    _form: Protected<crate::auth::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let actor = staff.0.id;
    let n = db
        .run(move |c| {
            c.write_tx(|c| {
                let n = outbox::requeue(c, id)?;
                if n > 0 {
                    audit::record(
                        c,
                        Some(actor),
                        "email.resend",
                        "email",
                        Some(id),
                        None::<&()>,
                        None::<&()>,
                    )?;
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
    let range = super::day_range(from.as_deref(), to.as_deref());
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
