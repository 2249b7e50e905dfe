//! Back-office orders: the filtered list, an order's page, and its workflow steps.

use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route};
use serde::Serialize;

use crate::error::AppResult;
use crate::orders::model::{self, Order, OrderFilter, Status};
use crate::orders::refunds::Request;
use crate::orders::workflow::{self, Step, StepError};
use crate::site::admin::order_page::detail_page;
use crate::site::admin::order_page::Drafts;
use crate::site::admin::pager_base;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::page_number;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Paged;
use crate::site::visitor::Staff;

const PER_PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    routes![list, detail, step]
}

/// The list's filters, as the query gives them and the form shows them again.
#[derive(Debug, Default, FromForm, Serialize)]
struct Filters {
    #[field(default = String::new())]
    status: String,
    #[field(default = String::new())]
    from: String,
    #[field(default = String::new())]
    to: String,
    #[field(default = String::new())]
    email: String,
    #[field(default = String::new())]
    number: String,
}

#[derive(Serialize)]
struct OrderList {
    filters: Filters,
    statuses: Vec<&'static str>,
    orders: Paged<Order>,
    pager_base: String,
}

#[get("/orders?<page>&<filters..>")]
async fn list(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    filters: Filters,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    let range =
        crate::site::admin::day_range(some(&filters.from).as_deref(), some(&filters.to).as_deref());
    let filter = OrderFilter {
        status: Status::parse(&filters.status),
        from: range.0,
        until: range.1,
        email: some(&filters.email).map(|e| e.chars().take(254).collect()),
        number: some(&filters.number).map(|n| n.chars().take(20).collect()),
        user_id: None,
    };
    let (items, total) = db
        .run(move |c| model::search(c, &filter, page, PER_PAGE))
        .await?;
    let base = pager_base(&[
        ("status", some(&filters.status)),
        ("from", some(&filters.from)),
        ("to", some(&filters.to)),
        ("email", some(&filters.email)),
        ("number", some(&filters.number)),
    ]);
    Ok(ctx.render(
        "admin/orders/list",
        OrderList {
            filters,
            statuses: Status::ALL.iter().map(|s| s.as_str()).collect(),
            orders: Paged::new(items, page, PER_PAGE, total),
            pager_base: base,
        },
    ))
}

#[get("/orders/<number>")]
async fn detail(db: DbRef, ctx: PageCtx<'_>, _staff: Staff, number: String) -> AppResult<Html> {
    detail_page(&db, &ctx, number, Drafts::default()).await
}

#[derive(Debug, FromForm)]
pub struct StepForm {
    #[field(default = String::new())]
    pub step: String,
    pub tracking: Option<String>,
    /// The refund form's token, for the "refund everything" button.
    pub key: Option<String>,
}

#[post("/orders/<number>/step", data = "<form>")]
async fn step(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    fresh: Option<crate::site::visitor::Fresh>,
    with: crate::site::admin::Services<'_>,
    number: String,
    form: Protected<StepForm>,
) -> AppResult<Flash<Redirect>> {
    let (shop, _payments, waker) = (with.shop, with.payments, with.waker);
    let lang = ctx.lang();
    let back = Redirect::to(format!("/admin/orders/{number}"));
    // Refunding what is left goes through the refunds, as a partial refund does; so does
    // cancelling a paid order (the money back, the goods back on sale).
    let n = number.clone();
    let paid = db.run(move |c| model::by_number(c, &n)).await?.status == Status::Paid;
    if form.step == "refund" || (form.step == "cancel" && paid) {
        let request = Request {
            key: form
                .key
                .clone()
                .unwrap_or_else(|| crate::auth::new_token().0),
            everything: true,
            cancels: form.step == "cancel",
            ..Request::default()
        };
        let refunding = crate::site::admin::refunds::Refunding {
            db: &db,
            lang,
            staff: &staff,
            fresh: fresh.is_some(),
            with,
        };
        return refunding.run(number, request).await.map(|done| match done {
            Ok(flash) => flash,
            Err(message) => Flash::error(back, message),
        });
    }
    let tracking = form.tracking.as_deref().map(str::trim);
    let Some(step) = Step::parse(&form.step, tracking) else {
        return Ok(Flash::error(back, lang.t("admin-step-unknown")));
    };
    if let Step::Ship { tracking } = &step {
        if tracking.is_empty() || tracking.chars().count() > 64 {
            return Ok(Flash::error(back, lang.t("admin-tracking-required")));
        }
    }
    let (shop, actor) = (Arc::clone(shop), staff.0.id);
    let n = number.clone();
    match db
        .run(move |c| workflow::apply(c, &shop, &n, &step, actor))
        .await
    {
        Ok(status) => {
            waker.wake();
            let msg = lang.t_args(
                "admin-step-done",
                &[("status", lang.t(&format!("status-{}", status.as_str())))],
            );
            Ok(Flash::success(back, msg))
        }
        Err(StepError::NotAllowed) => Ok(Flash::error(back, lang.t("admin-step-not-allowed"))),
        Err(StepError::Withdrawn) => Ok(Flash::error(back, lang.t("admin-step-withdrawn"))),
        Err(StepError::App(e)) => Err(e),
    }
}
