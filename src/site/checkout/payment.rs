//! The payment page (Stripe.js confirms the card in the browser), its return page (the status
//! the server reads from the provider, never from the address), a retry for when the provider
//! could not be reached, and the provider's webhook (the only POST without a CSRF token: its
//! signature proves where it comes from).

use std::sync::Arc;

use rocket::data::{Data, ToByteUnit};
use rocket::http::{Header, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Responder, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::error::{AppError, AppResult};
use crate::mail::MailWaker;
use crate::orders::model::{self as orders, OrderView, Payment as Method, Status as OrderStatus};
use crate::payments::model::{self, Payment, PaymentStatus};
use crate::payments::open::{open, OpenError};
use crate::payments::stripe::{signature, Event};
use crate::payments::{origin, service, IntentState, Payments};
use crate::site::account::access::may_see;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::headers::CSP;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;

pub fn routes() -> Vec<Route> {
    routes![pay_page, retry, returned, stripe_webhook]
}

/// Webhook bodies are small JSON documents.
const WEBHOOK_LIMIT_KIB: u64 = 64;

/// A page with a Content-Security-Policy of its own (the security-headers fairing keeps it).
#[derive(Responder)]
pub struct WithCsp {
    page: Html,
    csp: Header<'static>,
}

/// The payment page's policy: the shop's own, plus the origins Stripe.js loads from, frames
/// from and talks to (all derived from the configured URLs).
fn payment_csp(p: &Payments) -> String {
    let js = origin(&p.js_url).unwrap_or_default();
    let api = origin(&p.api_base).unwrap_or_default();
    let mut frames = vec![js.clone()];
    if js == "https://js.stripe.com" {
        // 3-D Secure challenges open in frames from there.
        frames.push("https://hooks.stripe.com".into());
    }
    CSP.replace("script-src 'self'", &format!("script-src 'self' {js}"))
        .replace("connect-src 'self'", &format!("connect-src 'self' {api}"))
        .replace(
            "object-src 'none'",
            &format!("frame-src {}; object-src 'none'", frames.join(" ")),
        )
}

/// The order and its payment, for whoever may see the order (else 404, revealing nothing).
async fn load(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    shop: &Shop,
    number: String,
    signature: Option<&str>,
) -> AppResult<(OrderView, Option<Payment>)> {
    let (view, payment) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let view = orders::view(c, &number)?;
            let payment = model::for_order(c, view.order.id)?;
            Ok((view, payment))
        })
        .await?;
    if !may_see(ctx, shop, &view.order, signature) {
        return Err(AppError::NotFound);
    }
    Ok((view, payment))
}

#[derive(Serialize)]
struct PayPage {
    #[serde(flatten)]
    view: OrderView,
    publishable_key: String,
    js_url: String,
    client_secret: Option<String>,
    return_url: String,
    retry_url: String,
    sig: Option<String>,
    last_error: Option<String>,
}

#[derive(Responder)]
#[allow(clippy::large_enum_variant)]
enum PayAnswer {
    Page(WithCsp),
    Redirect(Redirect),
}

#[get("/orders/<number>/pay?<t>")]
async fn pay_page(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    payments: &State<Payments>,
    number: String,
    t: Option<String>,
) -> AppResult<PayAnswer> {
    let (view, payment) = load(&db, &ctx, shop, number, t.as_deref()).await?;
    if view.order.payment_method != Method::Card {
        return Err(AppError::NotFound);
    }
    let number = view.order.number.clone();
    let payment = payment.ok_or(AppError::NotFound)?;
    if view.order.status != OrderStatus::AwaitingPayment
        || payment.status == PaymentStatus::Succeeded
    {
        return Ok(PayAnswer::Redirect(Redirect::to(
            shop.order_path(&number, ""),
        )));
    }
    let page = PayPage {
        publishable_key: payments.publishable_key.clone(),
        js_url: payments.js_url.clone(),
        client_secret: payment.client_secret.clone(),
        return_url: shop.order_path(&number, "/payment"),
        retry_url: format!("/orders/{number}/pay"),
        sig: Some(shop.keys.sign("order", &number)),
        last_error: payment.last_error.clone(),
        view,
    };
    Ok(PayAnswer::Page(WithCsp {
        page: ctx.render("orders/pay", page),
        csp: Header::new("Content-Security-Policy", payment_csp(payments)),
    }))
}

#[derive(Debug, FromForm)]
pub struct RetryForm {
    t: Option<String>,
}

/// Opens the payment again when the provider could not be reached before.
#[post("/orders/<number>/pay", data = "<form>")]
async fn retry(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    payments: &State<Payments>,
    number: String,
    form: Protected<RetryForm>,
) -> AppResult<Reply> {
    let (view, payment) = load(&db, &ctx, shop, number, form.0.t.as_deref()).await?;
    let (Some(provider), Some(_)) = (payments.provider.clone(), payment) else {
        return Err(AppError::NotFound);
    };
    let to = shop.order_path(&view.order.number, "/pay");
    Ok(match open(&db, provider, view.order.id).await {
        Ok(_) => Reply::Redirect(Redirect::to(to)),
        Err(OpenError::Provider(_)) => Reply::Flash(Flash::error(
            Redirect::to(to),
            ctx.lang().t("pay-unavailable"),
        )),
        Err(OpenError::App(e)) => return Err(e),
    })
}

#[derive(Serialize)]
struct ReturnPage {
    #[serde(flatten)]
    view: OrderView,
    /// `paid`, `confirming`, `not_completed` or `unknown`.
    state: &'static str,
    pay_url: String,
    order_url: String,
}

/// Where Stripe.js sends the customer back: what the provider says now (read, not written:
/// the webhook or the reconciliation applies it).
#[get("/orders/<number>/payment?<t>")]
async fn returned(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    payments: &State<Payments>,
    number: String,
    t: Option<String>,
) -> AppResult<Html> {
    let (view, payment) = load(&db, &ctx, shop, number, t.as_deref()).await?;
    let payment = payment.ok_or(AppError::NotFound)?;
    let state = if view.order.status != OrderStatus::AwaitingPayment
        && payment.status == PaymentStatus::Succeeded
    {
        "paid"
    } else {
        match (payments.provider.clone(), payment.intent_id.clone()) {
            (Some(provider), Some(id)) => {
                let read = rocket::tokio::task::spawn_blocking(move || provider.fetch(&id))
                    .await
                    .map_err(|e| AppError::Internal(format!("payment call: {e}")))?;
                match read.map(|i| i.state) {
                    Ok(IntentState::Succeeded | IntentState::Processing) => "confirming",
                    Ok(IntentState::Open | IntentState::Canceled) => "not_completed",
                    Err(_) => "unknown",
                }
            }
            _ => "not_completed",
        }
    };
    let number = view.order.number.clone();
    Ok(ctx.render(
        "orders/payment",
        ReturnPage {
            state,
            pay_url: shop.order_path(&number, "/pay"),
            order_url: shop.order_path(&number, ""),
            view,
        },
    ))
}

/// The `Stripe-Signature` header, if any.
pub struct StripeSignature(Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for StripeSignature {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(StripeSignature(
            req.headers()
                .get_one("Stripe-Signature")
                .map(str::to_string),
        ))
    }
}

/// Stripe's events: verified, stored once, applied. 400 and nothing changes when the
/// signature does not hold; 200 for a replay, an unknown event or an unknown order (logged);
/// 500 only when the database fails, so that Stripe sends it again.
#[post("/payments/stripe/webhook", data = "<body>")]
async fn stripe_webhook(
    db: DbRef,
    shop: &State<Arc<Shop>>,
    payments: &State<Payments>,
    waker: &State<MailWaker>,
    signature_header: StripeSignature,
    body: Data<'_>,
) -> Status {
    let body = match body.open(WEBHOOK_LIMIT_KIB.kibibytes()).into_bytes().await {
        Ok(b) if b.is_complete() => b.into_inner(),
        Ok(_) => return Status::PayloadTooLarge,
        Err(_) => return Status::BadRequest,
    };
    let now = chrono::Utc::now().timestamp();
    let header = signature_header.0.unwrap_or_default();
    if let Err(e) = signature::verify(&header, &body, &payments.webhook_secrets, now) {
        log::warn!("stripe webhook refused: {e}");
        return Status::BadRequest;
    }
    let event: Event = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => {
            log::warn!("stripe webhook unreadable: {e}");
            return Status::BadRequest;
        }
    };
    let shop = Arc::clone(shop);
    let (id, kind) = (event.id.clone(), event.kind.clone());
    match db
        .run(move |c| service::handle_event(c, &shop, "stripe", &event))
        .await
    {
        Ok(outcome) => {
            log::info!("stripe event {id} ({kind}): {}", outcome.as_str());
            if let service::Outcome::Flagged(problem) = &outcome {
                log::warn!("stripe event {id} flagged: {problem}");
            }
            waker.wake();
            Status::Ok
        }
        Err(e) => {
            log::error!("stripe event {id} ({kind}) not applied: {e}");
            Status::InternalServerError
        }
    }
}
