//! Back-office customers: list and search, one customer with their orders, disable/enable.

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route};
use serde::Serialize;

use crate::accounts::model::{self as accounts, User};
use crate::auth::Role;
use crate::error::AppResult;
use crate::ids::UserId;
use crate::orders::model::{self as orders, Order};
use crate::site::admin::pager_base;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::page_number;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Paged;
use crate::site::visitor::Staff;

/// Rows a list page shows.
const PER_PAGE: i64 = 50;

pub fn routes() -> Vec<Route> {
    routes![customers, customer, set_disabled]
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
async fn customer(db: DbRef, ctx: PageCtx<'_>, _staff: Staff, id: UserId) -> AppResult<Html> {
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
    id: UserId,
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
