//! The "withdraw from the contract here" function of an order: its page (the items, all chosen
//! at first, and an optional comment) and its confirmation. Guests reach it through the
//! order's signed link, like the order itself.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDateTime;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::db::now;
use crate::error::{AppError, AppResult};
use crate::ids::OrderLineId;
use crate::mail::MailWaker;
use crate::orders::model::{self, OrderView};
use crate::orders::withdrawals::{self, WithdrawError, Withdrawal};
use crate::site::account::access::may_see;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::PageCtx;
use crate::site::page::Reply;

pub fn routes() -> Vec<Route> {
    routes![form, confirm]
}

#[derive(Serialize)]
struct WithdrawPage {
    #[serde(flatten)]
    view: OrderView,
    /// Until when it is open, or why it is not.
    deadline: Option<NaiveDateTime>,
    closed: Option<String>,
    existing: Option<Withdrawal>,
    sig: Option<String>,
    /// What the customer typed, when the form comes back.
    qty: HashMap<String, String>,
    comment: String,
    error: Option<String>,
}

async fn page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    shop: &Shop,
    number: String,
    sig: Option<String>,
    typed: Option<(&WithdrawForm, String)>,
) -> AppResult<WithdrawPage> {
    let (view, existing) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let view = model::view(c, &number)?;
            let existing = withdrawals::for_order(c, view.order.id)?;
            Ok((view, existing))
        })
        .await?;
    if !may_see(ctx, shop, &view.order, sig.as_deref()) {
        return Err(AppError::NotFound);
    }
    let lang = ctx.lang();
    let (deadline, closed) = match withdrawals::open(&view, now()) {
        Ok(deadline) => (Some(deadline), None),
        Err(key) => (None, Some(lang.t(key))),
    };
    let (qty, comment, error) = match typed {
        Some((form, error)) => (
            form.qty
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            form.comment.clone(),
            Some(error),
        ),
        None => (
            view.lines
                .iter()
                .map(|l| (l.id.to_string(), l.quantity.to_string()))
                .collect(),
            String::new(),
            None,
        ),
    };
    Ok(WithdrawPage {
        view,
        deadline,
        closed,
        existing,
        sig,
        qty,
        comment,
        error,
    })
}

#[get("/orders/<number>/withdraw?<t>")]
async fn form(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    number: String,
    t: Option<String>,
) -> AppResult<Reply> {
    let data = page(&db, &ctx, shop, number, t, None).await?;
    Ok(Reply::Page(ctx.render("orders/withdraw", data)))
}

#[derive(Debug, FromForm)]
pub struct WithdrawForm {
    /// The order's link signature (guests).
    t: Option<String>,
    /// Quantity withdrawn from, per order line id.
    qty: HashMap<OrderLineId, String>,
    #[field(default = String::new())]
    comment: String,
}

impl WithdrawForm {
    fn chosen(&self) -> Result<Vec<(OrderLineId, i32)>, &'static str> {
        let mut chosen = Vec::new();
        for (&line, typed) in &self.qty {
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            let quantity: i32 = typed.parse().map_err(|_| "withdrawal-quantity-invalid")?;
            chosen.push((line, quantity));
        }
        chosen.sort_unstable();
        Ok(chosen)
    }
}

#[post("/orders/<number>/withdraw", data = "<form>")]
async fn confirm(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    waker: &State<MailWaker>,
    number: String,
    form: Protected<WithdrawForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    // Who may see the order may withdraw from it; anyone else gets the same 404 as for it.
    let n = number.clone();
    let order = db.run(move |c| model::by_number(c, &n)).await?;
    if !may_see(&ctx, shop, &order, form.t.as_deref()) {
        return Err(AppError::NotFound);
    }
    let refused = |key: String| async {
        let data = page(
            &db,
            &ctx,
            shop,
            number.clone(),
            form.t.clone(),
            Some((&form, key)),
        );
        Ok::<_, AppError>(Reply::Invalid(ctx.render("orders/withdraw", data.await?)))
    };
    let chosen = match form.chosen() {
        Ok(chosen) => chosen,
        Err(key) => return refused(lang.t(key)).await,
    };
    let (s, n, comment) = (Arc::clone(shop), number.clone(), form.comment.clone());
    let done = db
        .run(move |c| withdrawals::request(c, &s, &n, &chosen, &comment))
        .await;
    match done {
        Ok(w) => {
            waker.wake();
            let back = match &form.t {
                Some(_) => shop.order_path(&number, ""),
                None => format!("/orders/{number}"),
            };
            let date = w.row.refund_by.format("%d/%m/%Y").to_string();
            let msg = lang.t_args("withdrawal-done", &[("date", date)]);
            Ok(Reply::Flash(Flash::success(Redirect::to(back), msg)))
        }
        Err(WithdrawError::Refused(key)) => refused(lang.t(key)).await,
        Err(WithdrawError::App(e)) => Err(e),
    }
}
