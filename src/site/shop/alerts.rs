//! Back-in-stock alerts in the storefront: the form of a sold-out product, and the page a
//! visitor's confirmation link opens (a button: a GET changes nothing, mail scanners follow
//! links).

use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::catalog::alerts::{self, AlertProduct, Subscribed};
use crate::config::Shop;
use crate::error::{AppError, AppResult};
use crate::ids::VariantId;
use crate::mail::MailWaker;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::clip_token;
use crate::site::forms::FormView;
use crate::site::guards::ClientAddress;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;

pub fn routes() -> Vec<Route> {
    routes![alert_page, subscribe, confirm_page, confirm]
}

#[derive(Debug, FromForm, Serialize, Default)]
pub struct AlertForm {
    /// A visitor's address; a signed-in customer's own is used.
    #[field(default = String::new())]
    pub email: String,
    /// The variant awaited (none: the product, whichever variant comes back).
    pub variant_id: Option<VariantId>,
}

#[derive(Serialize)]
struct AlertPage {
    product: AlertProduct,
    #[serde(flatten)]
    form: FormView<AlertForm>,
}

fn product_url(product: &AlertProduct) -> String {
    product.path()
}

/// The alert form on its own page: where a mistyped address comes back with its message.
#[get("/products/<slug>/alert")]
async fn alert_page(db: DbRef, ctx: PageCtx<'_>, slug: String) -> AppResult<Html> {
    let lang = ctx.lang();
    let product = db
        .run(move |c| alerts::product_by_slug(c, &slug, None, lang))
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ctx.render(
        "shop/alert",
        AlertPage {
            product,
            form: FormView::new(AlertForm::default()),
        },
    ))
}

#[post("/products/<slug>/alert", data = "<form>")]
async fn subscribe(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    waker: &State<MailWaker>,
    client: ClientAddress,
    slug: String,
    form: Protected<AlertForm>,
) -> AppResult<Reply> {
    let visitor = ctx.visitor;
    let (lang, variant) = (ctx.lang(), form.variant_id);
    let product = db
        .run(move |c| alerts::product_by_slug(c, &slug, variant, lang))
        .await?
        .ok_or(AppError::NotFound)?;
    let user = visitor.user.as_ref().map(|u| (u.id, u.email.clone()));
    let email = match &user {
        Some((_, own)) => own.clone(),
        None => form.0.email.trim().to_string(),
    };
    if !validator::ValidateEmail::validate_email(&email) || email.len() > 254 {
        let view = FormView::new(AlertForm {
            email,
            variant_id: variant,
        })
        .error("email", lang.t("err-email"));
        return Ok(Reply::Invalid(ctx.render(
            "shop/alert",
            AlertPage {
                product,
                form: view,
            },
        )));
    }
    let shop = Arc::clone(shop);
    let id = product.id;
    let user_id = user.map(|u| u.0);
    let outcome = db
        .run(move |c| {
            let request = alerts::AlertRequest {
                product_id: id,
                variant_id: variant,
                email: &email,
                user: user_id,
                client: &client.0,
                lang,
            };
            alerts::subscribe(c, &shop, request)
        })
        .await?;
    let to = Redirect::to(product_url(&product));
    Ok(Reply::Flash(match outcome {
        Subscribed::Waiting => Flash::success(to, lang.t("alert-waiting")),
        Subscribed::ConfirmationSent => {
            waker.wake();
            Flash::success(to, lang.t("alert-confirm-sent"))
        }
        Subscribed::InStock => Flash::success(to, lang.t("alert-in-stock")),
    }))
}

#[derive(Debug, FromForm)]
pub struct ConfirmForm {
    #[field(default = String::new())]
    pub token: String,
}

#[derive(Serialize)]
struct ConfirmPage {
    token: String,
    product: Option<AlertProduct>,
}

#[get("/alerts/confirm?<token>")]
async fn confirm_page(db: DbRef, ctx: PageCtx<'_>, token: Option<String>) -> AppResult<Html> {
    let lang = ctx.lang();
    let token = clip_token(token);
    let t = token.clone();
    let product = db.run(move |c| alerts::peek(c, &t, lang)).await?;
    Ok(ctx.render("shop/alert_confirm", ConfirmPage { token, product }))
}

#[post("/alerts/confirm", data = "<form>")]
async fn confirm(db: DbRef, ctx: PageCtx<'_>, form: Protected<ConfirmForm>) -> AppResult<Reply> {
    let lang = ctx.lang();
    let token = clip_token(Some(form.0.token));
    let t = token.clone();
    match db.run(move |c| alerts::confirm(c, &t, lang)).await? {
        Some(product) => {
            let key = if product.in_stock {
                "alert-in-stock"
            } else {
                "alert-confirmed"
            };
            Ok(Reply::Flash(Flash::success(
                Redirect::to(product_url(&product)),
                lang.t(key),
            )))
        }
        None => Ok(Reply::Invalid(ctx.render(
            "shop/alert_confirm",
            ConfirmPage {
                token,
                product: None,
            },
        ))),
    }
}
