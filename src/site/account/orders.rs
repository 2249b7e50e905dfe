//! The customer's order pages: the order (also the confirmation page), and "my orders".
//! Someone else's order is a 404; guests open theirs through a signed link.

use std::sync::Arc;

use rocket::{get, routes, Route, State};
use serde::Serialize;

use crate::config::Shop;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::orders::documents;
use crate::orders::documents::Document;
use crate::orders::invoices::{self, Invoice};
use crate::orders::model::{self, Order, OrderView};
use crate::orders::refunds::{self, Balance};
use crate::orders::withdrawals::{self, Withdrawal};
use crate::site::account::access::may_see;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::visitor::Customer;
use rocket::http::Header;
use rocket::Responder;

pub fn routes() -> Vec<Route> {
    routes![order, my_orders, invoice]
}

#[derive(Serialize)]
struct OrderPage {
    #[serde(flatten)]
    view: OrderView,
    bank_transfer: bool,
    iban: String,
    bic: String,
    invoices: Vec<Invoice>,
    /// Paid, refunded and left, once something was refunded.
    balance: Option<Balance>,
    /// The customer's withdrawal, or until when they may withdraw.
    withdrawal: Option<Withdrawal>,
    withdraw_open: bool,
    withdraw_until: Option<chrono::NaiveDateTime>,
    /// The signature to carry in links to the invoices, for guests.
    sig: Option<String>,
}

#[get("/orders/<number>?<t>")]
async fn order(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    number: String,
    t: Option<String>,
) -> AppResult<Html> {
    let (view, invoices, balance, withdrawal) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let view = model::view(c, &number)?;
            let invoices = invoices::for_order(c, view.order.id)?;
            let balance = refunds::balance(c, &view)?;
            let withdrawal = withdrawals::for_order(c, view.order.id)?;
            Ok((view, invoices, balance, withdrawal))
        })
        .await?;
    // Someone else's order is a 404: it reveals nothing.
    if !may_see(&ctx, shop, &view.order, t.as_deref()) {
        return Err(AppError::NotFound);
    }
    let window = withdrawals::open(&view, crate::db::now());
    let withdraw_until = window.ok().flatten();
    Ok(ctx.render(
        "orders/order",
        OrderPage {
            bank_transfer: view.order.payment_method == model::Payment::BankTransfer,
            iban: shop.settings().bank_iban.clone(),
            bic: shop.settings().bank_bic.clone(),
            view,
            invoices,
            balance: (balance.refunded_cents.is_positive()).then_some(balance),
            withdraw_open: window.is_ok() && withdrawal.is_none(),
            withdraw_until,
            withdrawal,
            sig: t,
        },
    ))
}

#[derive(Serialize)]
struct DocumentPage {
    #[serde(flatten)]
    doc: documents::Document,
    /// The signature to carry in the PDF's link, for guests.
    sig: Option<String>,
}

/// A document as a page or as a PDF file.
#[derive(rocket::Responder)]
enum DocumentReply {
    Page(Html),
    Pdf(Pdf),
}

/// The printable invoice or credit note `doc` of an order; `<number>.pdf` is the PDF file.
#[get("/orders/<number>/documents/<doc>?<t>")]
async fn invoice(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    number: String,
    doc: String,
    t: Option<String>,
) -> AppResult<DocumentReply> {
    let (doc_number, as_pdf) = match doc.strip_suffix(".pdf") {
        Some(stem) => (stem.to_string(), true),
        None => (doc, false),
    };
    let settings = shop.settings();
    let doc = db
        .run(move |c| documents::load(c, &settings, &number, &doc_number))
        .await?;
    if !may_see(&ctx, shop, &doc.order, t.as_deref()) {
        return Err(AppError::NotFound);
    }
    if as_pdf {
        let lang = Lang::parse(&doc.order.locale).unwrap_or_default();
        return Ok(DocumentReply::Pdf(Pdf::of(&doc, lang)));
    }
    Ok(DocumentReply::Page(
        ctx.render("orders/invoice", DocumentPage { doc, sig: t }),
    ))
}

#[derive(Serialize)]
struct MyOrders {
    orders: Vec<Order>,
}

#[get("/account/orders")]
async fn my_orders(db: DbRef, ctx: PageCtx<'_>, customer: Customer) -> AppResult<Html> {
    let id = customer.0.id;
    let orders = db.run(move |c| model::for_user(c, id)).await?;
    Ok(ctx.render("orders/list", MyOrders { orders }))
}

/// A PDF file as a response: shown in the browser, saved under the document's number.
#[derive(Responder)]
#[response(content_type = "application/pdf")]
pub struct Pdf {
    pub bytes: Vec<u8>,
    disposition: Header<'static>,
}

impl Pdf {
    pub fn of(doc: &Document, lang: Lang) -> Pdf {
        Pdf {
            bytes: crate::orders::pdf::render(doc, lang),
            disposition: Header::new(
                "Content-Disposition",
                format!("inline; filename=\"{}\"", crate::orders::pdf::filename(doc)),
            ),
        }
    }
}
