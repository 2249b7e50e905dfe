//! Back-office orders: the filtered list, an order's page, and its workflow steps.

use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::error::AppResult;
use crate::orders::model::{self, Order, OrderFilter, Status};
use crate::orders::refunds::Request;
use crate::orders::workflow::{self, Step, StepError};
use crate::payments::Payments;
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

#[derive(Serialize)]
struct Filters {
    status: String,
    from: String,
    to: String,
    email: String,
    number: String,
}

#[derive(Serialize)]
struct OrderList {
    filters: Filters,
    statuses: Vec<&'static str>,
    orders: Paged<Order>,
    pager_base: String,
}

#[allow(clippy::too_many_arguments)]
#[get("/orders?<status>&<from>&<to>&<email>&<number>&<page>")]
async fn list(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    email: Option<String>,
    number: Option<String>,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let range = crate::site::admin::day_range(from.as_deref(), to.as_deref());
    let filter = OrderFilter {
        status: status.as_deref().and_then(Status::parse),
        from: range.0,
        until: range.1,
        email: email.clone().map(|e| e.chars().take(254).collect()),
        number: number.clone().map(|n| n.chars().take(20).collect()),
        user_id: None,
    };
    let (items, total) = db
        .run(move |c| model::search(c, &filter, page, PER_PAGE))
        .await?;
    let base = pager_base(&[
        ("status", status.clone()),
        ("from", from.clone()),
        ("to", to.clone()),
        ("email", email.clone()),
        ("number", number.clone()),
    ]);
    Ok(ctx.render(
        "admin/orders/list",
        OrderList {
            filters: Filters {
                status: status.unwrap_or_default(),
                from: from.unwrap_or_default(),
                to: to.unwrap_or_default(),
                email: email.unwrap_or_default(),
                number: number.unwrap_or_default(),
            },
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
#[allow(clippy::too_many_arguments)]
async fn step(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    fresh: Option<crate::site::visitor::Fresh>,
    shop: &State<Arc<Shop>>,
    payments: &State<Payments>,
    waker: &State<crate::mail::MailWaker>,
    number: String,
    form: Protected<StepForm>,
) -> AppResult<Flash<Redirect>> {
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
            shop,
            payments,
            waker,
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
        Err(StepError::App(e)) => Err(e),
    }
}
