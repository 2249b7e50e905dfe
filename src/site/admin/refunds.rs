//! Back-office refunds and returns of an order: chosen lines, shipping and/or an amount given
//! back (through the payment provider for card orders, with the password again first), and
//! goods received back line by line. A refused form comes back on the order's page with what
//! was typed.

use std::collections::HashMap;
use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{post, routes, uri, FromForm, Route};

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::OrderLineId;
use crate::money::Money;
use crate::orders::model;
use crate::orders::refunds::{RefundStatus, Request};
use crate::orders::returns::{self, Condition, ReturnError, Returned};
use crate::payments::open::{refund, RefundFailure};
use crate::payments::ProviderError;
use crate::site::admin::order_page::detail_page;
use crate::site::admin::order_page::Drafts;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![refund_lines, record_return]
}

/// What a refund needs from the request, for the refund form and the "refund everything"
/// button alike.
pub(super) struct Refunding<'a> {
    pub db: &'a DbRef,
    pub lang: Lang,
    pub staff: &'a Staff,
    /// The password was given again a moment ago.
    pub fresh: bool,
    pub with: crate::site::admin::Services<'a>,
}

impl Refunding<'_> {
    /// Makes the refund: the redirect to show, or the message of why it was refused.
    pub async fn run(
        &self,
        number: String,
        request: Request,
    ) -> AppResult<Result<Flash<Redirect>, String>> {
        let lang = self.lang;
        let back = Redirect::to(format!("/admin/orders/{number}"));
        // Money goes back to the customer: the password again first (then the form once more).
        if !self.fresh {
            let confirm = uri!(crate::site::account::two_factor::confirm_page(
                next = Some(format!("/admin/orders/{number}"))
            ));
            return Ok(Ok(Flash::warning(
                Redirect::to(confirm),
                lang.t("admin-confirm-refund"),
            )));
        }
        let shop = Arc::clone(self.with.shop);
        let provider = self.with.payments.provider.clone();
        match refund(
            self.db,
            shop,
            provider,
            number,
            request,
            Some(self.staff.0.id),
        )
        .await
        {
            Ok(done) if done.status == RefundStatus::Succeeded => {
                self.with.waker.wake();
                let amount = done.total_cents.format(lang.code());
                let msg = lang.t_args("admin-refund-done", &[("amount", amount)]);
                Ok(Ok(Flash::success(back, msg)))
            }
            Ok(_) => Ok(Ok(Flash::warning(back, lang.t("admin-refund-pending")))),
            Err(RefundFailure::Refused(key)) => Ok(Err(lang.t(key))),
            // Unreachable (perhaps after refunding): the refund stays pending and the
            // reconciliation asks again with the same key.
            Err(RefundFailure::Provider(e @ ProviderError::Unavailable(_))) => Ok(Err(
                lang.t_args("admin-refund-provider-pending", &[("error", e.to_string())])
            )),
            Err(RefundFailure::Provider(e)) => Ok(Err(
                lang.t_args("admin-refund-provider-failed", &[("error", e.to_string())])
            )),
            Err(RefundFailure::App(e)) => Err(e),
        }
    }
}

#[derive(Debug, FromForm)]
pub struct RefundForm {
    #[field(default = String::new())]
    key: String,
    /// Quantity to refund per order line id.
    qty: HashMap<OrderLineId, String>,
    #[field(default = false)]
    shipping: bool,
    #[field(default = String::new())]
    amount: String,
    #[field(default = String::new())]
    reason: String,
}

impl RefundForm {
    fn drafts(&self, error: String) -> Drafts {
        Drafts {
            refund_key: self.key.clone(),
            refund_qty: stringly(&self.qty),
            refund_shipping: self.shipping,
            refund_amount: self.amount.clone(),
            refund_reason: self.reason.clone(),
            refund_error: Some(error),
            ..Drafts::default()
        }
    }

    /// The request it makes, or the key of what is wrong with it.
    fn request(&self, shipping_left: Money) -> Result<Request, &'static str> {
        let mut lines = Vec::new();
        for (&line, typed) in &self.qty {
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            let quantity: i32 = typed.parse().map_err(|_| "refund-quantity-invalid")?;
            lines.push((line, quantity));
        }
        lines.sort_unstable();
        let amount = match self.amount.trim() {
            "" => Money::ZERO,
            typed => Money::parse_euros(typed).ok_or("refund-amount-invalid")?,
        };
        if self.key.is_empty() || self.key.len() > 64 {
            return Err("refund-form-expired");
        }
        Ok(Request {
            key: self.key.clone(),
            lines,
            shipping_cents: if self.shipping {
                shipping_left
            } else {
                Money::ZERO
            },
            amount_cents: amount,
            reason: self.reason.clone(),
            everything: false,
            cancels: false,
        })
    }
}

fn stringly<V: Clone>(map: &HashMap<OrderLineId, V>) -> HashMap<String, V> {
    map.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

#[post("/orders/<number>/refund", data = "<form>")]
async fn refund_lines(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    fresh: Option<crate::site::visitor::Fresh>,
    with: crate::site::admin::Services<'_>,
    number: String,
    form: Protected<RefundForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let n = number.clone();
    let shipping_left = db
        .run(move |c| -> Result<Money, AppError> {
            let view = model::view(c, &n)?;
            Ok(crate::orders::refunds::balance(c, &view)?.shipping_left_cents)
        })
        .await?;
    let request = match form.request(shipping_left) {
        Ok(request) => request,
        Err(key) => {
            let page = detail_page(&db, &ctx, number, form.drafts(lang.t(key))).await?;
            return Ok(Reply::Invalid(page));
        }
    };
    let refunding = Refunding {
        db: &db,
        lang,
        staff: &staff,
        fresh: fresh.is_some(),
        with,
    };
    match refunding.run(number.clone(), request).await? {
        Ok(flash) => Ok(Reply::Flash(flash)),
        Err(message) => {
            let page = detail_page(&db, &ctx, number, form.drafts(message)).await?;
            Ok(Reply::Invalid(page))
        }
    }
}

#[derive(Debug, FromForm)]
pub struct ReturnForm {
    /// Quantity received back per order line id.
    qty: HashMap<OrderLineId, String>,
    condition: HashMap<OrderLineId, String>,
    restock: HashMap<OrderLineId, bool>,
    #[field(default = String::new())]
    note: String,
}

impl ReturnForm {
    fn drafts(&self, error: String) -> Drafts {
        Drafts {
            return_qty: stringly(&self.qty),
            return_condition: stringly(&self.condition),
            return_restock: stringly(&self.restock),
            return_note: self.note.clone(),
            return_error: Some(error),
            ..Drafts::default()
        }
    }

    fn items(&self) -> Result<Vec<Returned>, &'static str> {
        let mut items = Vec::new();
        for (&line_id, typed) in &self.qty {
            let typed = typed.trim();
            if typed.is_empty() {
                continue;
            }
            let quantity: i32 = typed.parse().map_err(|_| "return-quantity-invalid")?;
            let condition = self
                .condition
                .get(&line_id)
                .and_then(|c| Condition::parse(c))
                .ok_or("return-condition-invalid")?;
            items.push(Returned {
                line_id,
                quantity,
                condition,
                restock: self.restock.get(&line_id).copied().unwrap_or(false),
            });
        }
        items.sort_by_key(|i| i.line_id);
        Ok(items)
    }
}

#[post("/orders/<number>/return", data = "<form>")]
async fn record_return(
    db: DbRef,
    ctx: PageCtx<'_>,
    staff: Staff,
    number: String,
    form: Protected<ReturnForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let items = match form.items() {
        Ok(items) => items,
        Err(key) => {
            let page = detail_page(&db, &ctx, number, form.drafts(lang.t(key))).await?;
            return Ok(Reply::Invalid(page));
        }
    };
    let (n, note, actor) = (number.clone(), form.note.clone(), staff.0.id);
    let recorded = db
        .run(move |c| {
            c.write_tx(|c| -> Result<usize, ReturnError> {
                let view = model::view(c, &n).map_err(AppError::from)?;
                returns::record(c, &view, &items, &note, actor)
            })
        })
        .await;
    match recorded {
        Ok(_) => Ok(Reply::Flash(Flash::success(
            Redirect::to(format!("/admin/orders/{number}")),
            lang.t("admin-return-done"),
        ))),
        Err(ReturnError::Invalid(key)) => {
            let page = detail_page(&db, &ctx, number, form.drafts(lang.t(key))).await?;
            Ok(Reply::Invalid(page))
        }
        Err(ReturnError::App(e)) => Err(e),
    }
}
