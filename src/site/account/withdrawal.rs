//! The "withdraw from the contract here" function (code de la consommation, art. L221-21 and
//! D221-5 in their 2026 wording): `/retractation`, linked from every page's footer, where a
//! signed-in customer sees their open orders and anyone identifies an order with its number
//! and email; then the order's withdrawal in two steps: the items (all chosen at first) and
//! an optional comment, then a distinct confirmation ("Confirmer la rétractation").

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
use crate::orders::settle::RefundStatus;
use crate::orders::withdrawals::{self, Item, Lookup, Offered, OpenOrder, Stage, Withdrawal};
use crate::payments::open::{self as payments_open, Withdrawn};
use crate::payments::Payments;
use crate::site::account::access::may_see;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::guards::ClientAddress;
use crate::site::page::PageCtx;
use crate::site::page::Reply;

pub fn routes() -> Vec<Route> {
    routes![start, find, form, review, confirm]
}

/// Open orders a signed-in customer sees on the function's page.
const LISTED: i64 = 20;

#[derive(Debug, Clone, Default, Serialize, FromForm)]
pub struct FindForm {
    #[field(default = String::new())]
    number: String,
    #[field(default = String::new())]
    email: String,
}

#[derive(Serialize)]
struct StartPage {
    /// A signed-in customer's orders still open to withdrawal.
    open_orders: Vec<OpenOrder>,
    signed_in: bool,
    form: FormView<FindForm>,
}

async fn start_page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    form: FormView<FindForm>,
) -> AppResult<StartPage> {
    let user = ctx.visitor.user.as_ref().map(|u| u.id);
    let open_orders = match user {
        Some(id) => {
            db.run(move |c| withdrawals::open_orders_of(c, id, LISTED))
                .await?
        }
        None => Vec::new(),
    };
    Ok(StartPage {
        open_orders,
        signed_in: user.is_some(),
        form,
    })
}

/// The function's entry point, in every page's footer.
#[get("/retractation")]
async fn start(db: DbRef, ctx: PageCtx<'_>) -> AppResult<Reply> {
    let page = start_page(&db, &ctx, FormView::new(FindForm::default())).await?;
    Ok(Reply::Page(ctx.render("orders/withdraw_start", page)))
}

/// A guest's order, found by its number and email: on to its withdrawal form.
#[post("/retractation", data = "<form>")]
async fn find(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    client: ClientAddress,
    form: Protected<FindForm>,
) -> AppResult<Reply> {
    let (form, lang) = (form.0, ctx.lang());
    let mut view = FormView::new(form.clone());
    if form.number.trim().is_empty() || form.number.len() > 40 {
        view = view.error("number", lang.t("withdrawal-number-required"));
    }
    if form.email.trim().is_empty() || form.email.len() > 254 {
        view = view.error("email", lang.t("withdrawal-email-required"));
    }
    if !view.is_valid() {
        let page = start_page(&db, &ctx, view).await?;
        return Ok(Reply::Invalid(ctx.render("orders/withdraw_start", page)));
    }
    let (number, email, ip) = (form.number.clone(), form.email.clone(), client.0);
    let found = db
        .run(move |c| withdrawals::lookup(c, &number, &email, &ip))
        .await?;
    let refused = |field: &str, message: String| FormView::new(form.clone()).error(field, message);
    match found {
        Lookup::Found(number) => Ok(Reply::Redirect(Redirect::to(
            shop.order_path(&number, "/withdraw"),
        ))),
        Lookup::NoMatch => {
            let view = refused("number", lang.t("withdrawal-no-match"));
            let page = start_page(&db, &ctx, view).await?;
            Ok(Reply::Invalid(ctx.render("orders/withdraw_start", page)))
        }
        Lookup::Locked { minutes } => {
            let message = lang.t_args("withdrawal-locked", &[("minutes", minutes.to_string())]);
            let page = start_page(&db, &ctx, refused("number", message)).await?;
            Ok(Reply::TooMany(ctx.render("orders/withdraw_start", page)))
        }
    }
}

#[derive(Serialize)]
struct WithdrawPage {
    #[serde(flatten)]
    view: OrderView,
    /// Open (with its deadline once delivered), or why it is not.
    open: bool,
    deadline: Option<NaiveDateTime>,
    closed: Option<String>,
    stage: Option<Stage>,
    existing: Option<Withdrawal>,
    /// The items still open to withdrawal.
    offered: Vec<Offered>,
    sig: Option<String>,
    /// What the customer typed, when the form comes back or is confirmed.
    qty: HashMap<String, String>,
    comment: String,
    error: Option<String>,
    /// The confirmation step: the items chosen.
    chosen: Vec<Item>,
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

    fn typed(&self) -> HashMap<String, String> {
        self.qty
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }
}

/// The order's withdrawal page, for whoever may see the order (else the same 404 as for it).
async fn page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    shop: &Shop,
    number: String,
    sig: Option<String>,
) -> AppResult<WithdrawPage> {
    let (view, existing, offered) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let view = model::view(c, &number)?;
            let existing = withdrawals::for_order(c, view.order.id)?;
            let offered = withdrawals::offered(c, &view)?;
            Ok((view, existing, offered))
        })
        .await?;
    if !may_see(ctx, shop, &view.order, sig.as_deref()) {
        return Err(AppError::NotFound);
    }
    let lang = ctx.lang();
    let (open, deadline, closed) = match withdrawals::open(&view, now()) {
        Ok(deadline) if !offered.is_empty() => (true, deadline, None),
        Ok(_) => (false, None, Some(lang.t("withdrawal-closed"))),
        Err(key) => (false, None, Some(lang.t(key))),
    };
    let qty = offered
        .iter()
        .map(|o| (o.line_id.to_string(), o.quantity.to_string()))
        .collect();
    Ok(WithdrawPage {
        stage: withdrawals::Stage::of(view.order.status),
        view,
        open,
        deadline,
        closed,
        existing,
        offered,
        sig,
        qty,
        comment: String::new(),
        error: None,
        chosen: Vec::new(),
    })
}

/// Step one: the items (all chosen) and a comment.
#[get("/orders/<number>/withdraw?<t>")]
async fn form(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    number: String,
    t: Option<String>,
) -> AppResult<Reply> {
    let data = page(&db, &ctx, shop, number, t).await?;
    Ok(Reply::Page(ctx.render("orders/withdraw", data)))
}

/// Step one again with what was typed and what is wrong, or `None` when the choice holds
/// (with the items it makes).
fn check(
    data: &mut WithdrawPage,
    form: &WithdrawForm,
    lang: crate::i18n::Lang,
) -> Option<Vec<Item>> {
    data.qty = form.typed();
    data.comment = form.comment.clone();
    if !data.open {
        return None;
    }
    let chosen = match form.chosen() {
        // Every field left blank or at zero: nothing chosen (no field at all: everything).
        Ok(chosen) if !form.qty.is_empty() && chosen.iter().all(|(_, q)| *q == 0) => {
            data.error = Some(lang.t("withdrawal-nothing"));
            return None;
        }
        Ok(chosen) => chosen,
        Err(key) => {
            data.error = Some(lang.t(key));
            return None;
        }
    };
    if form.comment.chars().count() > 1000 {
        data.error = Some(lang.t("withdrawal-comment-too-long"));
        return None;
    }
    // Nothing paid yet: the whole order, whatever the fields say.
    let chosen = if data.stage == Some(Stage::Unpaid) {
        Vec::new()
    } else {
        chosen
    };
    match withdrawals::items_of(&data.offered, &chosen) {
        Ok(items) => Some(items),
        Err(key) => {
            data.error = Some(lang.t(key));
            None
        }
    }
}

/// Step two: what the withdrawal covers, and the button that confirms it.
#[post("/orders/<number>/withdraw/review", data = "<form>")]
async fn review(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    number: String,
    form: Protected<WithdrawForm>,
) -> AppResult<Reply> {
    let mut data = page(&db, &ctx, shop, number, form.t.clone()).await?;
    match check(&mut data, &form, ctx.lang()) {
        Some(items) => {
            data.chosen = items;
            Ok(Reply::Page(ctx.render("orders/withdraw_confirm", data)))
        }
        None if data.open => Ok(Reply::Invalid(ctx.render("orders/withdraw", data))),
        None => Ok(Reply::Page(ctx.render("orders/withdraw", data))),
    }
}

/// The confirmation: the withdrawal is recorded, and what it does follows at once.
#[post("/orders/<number>/withdraw", data = "<form>")]
async fn confirm(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    payments: &State<Payments>,
    waker: &State<MailWaker>,
    number: String,
    form: Protected<WithdrawForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let mut data = page(&db, &ctx, shop, number.clone(), form.t.clone()).await?;
    if data.existing.is_none() {
        let Some(items) = check(&mut data, &form, lang) else {
            let status = data.open;
            let html = ctx.render("orders/withdraw", data);
            return Ok(if status {
                Reply::Invalid(html)
            } else {
                Reply::Page(html)
            });
        };
        let chosen = items.iter().map(|i| (i.line_id, i.quantity)).collect();
        let done = payments_open::withdraw(
            &db,
            Arc::clone(shop),
            payments.provider.clone(),
            number.clone(),
            chosen,
            form.comment.clone(),
        )
        .await;
        match done {
            Ok(withdrawn) => {
                waker.wake();
                let back = match &form.t {
                    Some(_) => shop.order_path(&number, ""),
                    None => format!("/orders/{number}"),
                };
                let message = done_message(lang, shop, &withdrawn);
                return Ok(Reply::Flash(Flash::success(Redirect::to(back), message)));
            }
            Err(withdrawals::WithdrawError::Refused(key)) => {
                data.error = Some(lang.t(key));
                return Ok(Reply::Invalid(ctx.render("orders/withdraw", data)));
            }
            Err(withdrawals::WithdrawError::App(e)) => return Err(e),
        }
    }
    // Sent twice: the first one stands.
    let back = match &form.t {
        Some(_) => shop.order_path(&number, ""),
        None => format!("/orders/{number}"),
    };
    Ok(Reply::Redirect(Redirect::to(back)))
}

/// What the customer is told once it is recorded: when, and what follows.
fn done_message(lang: crate::i18n::Lang, shop: &Shop, withdrawn: &Withdrawn) -> String {
    let w = &withdrawn.recorded.withdrawal;
    let when = shop.local(w.row.requested_at, "%d/%m/%Y %H:%M");
    let by = shop.local(w.row.refund_by, "%d/%m/%Y");
    let next = match (withdrawn.recorded.stage, &withdrawn.refund) {
        (Stage::Unpaid, _) => lang.t("withdrawal-done-unpaid"),
        (Stage::NotShipped, Some(Ok(refund))) if refund.status == RefundStatus::Succeeded => lang
            .t_args(
                "withdrawal-done-refunded",
                &[("amount", refund.total_cents.format(lang.code()))],
            ),
        (Stage::NotShipped, _) => lang.t_args("withdrawal-done-refund-pending", &[("date", by)]),
        (Stage::Shipped, _) => lang.t_args("withdrawal-done-return", &[("date", by)]),
    };
    format!(
        "{} {next}",
        lang.t_args("withdrawal-done", &[("date", when)])
    )
}
