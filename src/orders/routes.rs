//! The customer's order pages: the order (also the confirmation page), and "my orders".
//! Someone else's order is a 404; guests open theirs through a signed link.

use std::sync::Arc;

use rocket::{get, routes, Route, State};
use serde::Serialize;

use super::model::{self, Order, OrderView};
use crate::auth::Customer;
use crate::checkout::service::Shop;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::{Html, PageCtx};

pub fn routes() -> Vec<Route> {
    routes![order, my_orders]
}

#[derive(Serialize)]
struct OrderPage {
    #[serde(flatten)]
    view: OrderView,
    bank_transfer: bool,
    iban: String,
    bic: String,
}

#[get("/orders/<number>?<t>")]
async fn order(
    db: Db,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    number: String,
    t: Option<String>,
) -> AppResult<Html> {
    let signed = t.is_some_and(|sig| shop.keys.verify("order", &number, &sig));
    let viewer = ctx.visitor.user.as_ref().map(|u| u.id);
    let view = db
        .run(move |c| model::view(c, &number))
        .await
        .map_err(|_| AppError::NotFound)?;
    let owner = view.order.user_id.is_some() && view.order.user_id == viewer;
    if !(owner || signed) {
        return Err(AppError::NotFound);
    }
    Ok(ctx.render(
        "orders/order",
        OrderPage {
            bank_transfer: view.order.payment_method == model::Payment::BankTransfer.as_str(),
            iban: shop.settings.bank_iban.clone(),
            bic: shop.settings.bank_bic.clone(),
            view,
        },
    ))
}

#[derive(Serialize)]
struct MyOrders {
    orders: Vec<Order>,
}

#[get("/account/orders")]
async fn my_orders(db: Db, ctx: PageCtx<'_>, customer: Customer) -> AppResult<Html> {
    let id = customer.0.id;
    let orders = db.run(move |c| model::for_user(c, id)).await?;
    Ok(ctx.render("orders/list", MyOrders { orders }))
}
