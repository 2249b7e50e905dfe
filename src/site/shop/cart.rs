//! The cart page and its forms: add, change quantity, remove.

use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, FromForm, Route, State};
use serde::Serialize;

use crate::cart::model::{self, Cart, CartError, CartOwner, MAX_QUANTITY};
use crate::config::Settings;
use crate::discounts::model as discounts;
use crate::discounts::rules::{self as discount_rules, Refusal};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{ProductId, VariantId};
use crate::site::csrf::safe_next;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::Visitor;

pub fn routes() -> Vec<Route> {
    routes![
        show,
        add_to_cart,
        update_cart,
        remove_from_cart,
        apply_code,
        remove_code
    ]
}

/// The cart page: the cart priced with its discount code, and a code typed that did not apply.
#[derive(Serialize)]
struct CartPage {
    #[serde(flatten)]
    cart: Cart,
    code_typed: String,
    code_error: Option<String>,
}

/// Whom a discount code's per-customer limit counts on the cart page: the signed-in account.
fn customer(visitor: &Visitor) -> discounts::Customer {
    discounts::Customer {
        email: visitor.user.as_ref().map(|u| u.email.clone()),
        user_id: visitor.user.as_ref().map(|u| u.id),
    }
}

/// The message of a code that does not apply.
fn refusal_message(lang: Lang, refusal: Refusal, code: &str) -> String {
    let minimum = match refusal {
        Refusal::Minimum(cents) => cents.format(lang.code()),
        _ => String::new(),
    };
    lang.t_args(
        refusal.key(),
        &[("code", code.to_string()), ("minimum", minimum)],
    )
}

async fn load_priced(db: &DbRef, visitor: &Visitor, lang: Lang) -> AppResult<Cart> {
    let (owner, customer) = (CartOwner::of(visitor), customer(visitor));
    let mut cart = db
        .run(move |c| -> diesel::QueryResult<Cart> {
            let mut cart = model::load(c, &owner)?;
            model::price(c, &mut cart, &customer)?;
            Ok(cart)
        })
        .await?;
    cart.localize(lang);
    Ok(cart)
}

/// The most of a typed code the cart keeps and shows (codes are shorter).
const CODE_TYPED_MAX: usize = 64;

/// The cart of whoever is asking; `?code=` is a code typed that did not apply (the form
/// redirects here, so a reload does not post again): shown in the field with the reason.
#[get("/cart?<code>")]
async fn show(
    db: DbRef,
    mut ctx: PageCtx<'_>,
    jar: &CookieJar<'_>,
    settings: &State<Settings>,
    code: Option<&str>,
) -> AppResult<Html> {
    let lang = ctx.lang();
    let cart = load_priced(&db, ctx.visitor, lang).await?;
    // A cart filled before this browser carried the hint (an older version of the shop):
    // from now on the header counts it, starting with this page.
    if cart.count > 0 && set_cart_hint(jar, settings) {
        ctx.set_cart_count(cart.count);
    }
    let (code_typed, code_error) = match code {
        Some(typed) => {
            let typed: String = typed.trim().chars().take(CODE_TYPED_MAX).collect();
            let refusal = if cart.is_empty() {
                None
            } else {
                check_code(&db, ctx.visitor, &typed).await?.err()
            };
            let message = match refusal {
                _ if typed.is_empty() => Some(lang.t("discount-empty")),
                Some(refusal) => Some(refusal_message(
                    lang,
                    refusal,
                    &discount_rules::normalize(&typed),
                )),
                None => None,
            };
            (typed, message)
        }
        None => {
            let message = match (&cart.discount, &cart.discount_code) {
                (Some(Err(refusal)), Some(code)) => Some(refusal_message(lang, *refusal, code)),
                _ => None,
            };
            (String::new(), message)
        }
    };
    Ok(ctx.render(
        "cart/cart",
        CartPage {
            cart,
            code_typed,
            code_error,
        },
    ))
}

/// Whether a code would apply to this visitor's cart now (read only: nothing is written).
async fn check_code(db: &DbRef, visitor: &Visitor, typed: &str) -> AppResult<Result<(), Refusal>> {
    let code = discount_rules::normalize(typed);
    let (owner, who) = (CartOwner::of(visitor), customer(visitor));
    Ok(db
        .run(move |c| -> diesel::QueryResult<Result<(), Refusal>> {
            if code.is_empty() {
                return Ok(Err(Refusal::Unknown));
            }
            let cart = model::load(c, &owner)?;
            Ok(discounts::evaluate(c, &code, &cart.discount_lines(), &who)?.map(|_| ()))
        })
        .await?)
}

#[derive(Debug, FromForm)]
pub struct CodeForm {
    #[field(default = String::new())]
    pub code: String,
}

/// Puts a discount code on the cart when it applies; otherwise back to the cart page (a
/// redirect: a reload does not post again), which shows the reason and the code as typed.
#[post("/cart/discount", data = "<form>")]
async fn apply_code(db: DbRef, ctx: PageCtx<'_>, form: Protected<CodeForm>) -> AppResult<Reply> {
    let lang = ctx.lang();
    let typed: String = form.0.code.trim().chars().take(CODE_TYPED_MAX).collect();
    let code = discount_rules::normalize(&typed);
    let (owner, who) = (CartOwner::of(ctx.visitor), customer(ctx.visitor));
    let checked = db
        .run(
            move |c| -> diesel::QueryResult<Option<Result<String, Refusal>>> {
                let cart = model::load(c, &owner)?;
                if cart.is_empty() {
                    return Ok(None);
                }
                if code.is_empty() {
                    return Ok(Some(Err(Refusal::Unknown)));
                }
                match discounts::evaluate(c, &code, &cart.discount_lines(), &who)? {
                    Ok(applied) => {
                        model::set_discount_code(c, &owner, Some(&applied.code))?;
                        Ok(Some(Ok(applied.code)))
                    }
                    Err(refusal) => Ok(Some(Err(refusal))),
                }
            },
        )
        .await?;
    match checked {
        None => Ok(Reply::Flash(Flash::error(
            Redirect::to(uri!(show(_))),
            lang.t("checkout-empty-cart"),
        ))),
        Some(Ok(code)) => Ok(Reply::Flash(Flash::success(
            Redirect::to(uri!(show(_))),
            lang.t_args("discount-applied", &[("code", code)]),
        ))),
        Some(Err(_)) => Ok(Reply::Redirect(Redirect::to(uri!(show(Some(
            typed.as_str()
        )))))),
    }
}

#[post("/cart/discount/remove", data = "<_form>")]
async fn remove_code(
    db: DbRef,
    visitor: &Visitor,
    _form: Protected<crate::site::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let owner = CartOwner::of(visitor);
    db.run(move |c| model::set_discount_code(c, &owner, None))
        .await?;
    Ok(Flash::success(
        Redirect::to(uri!(show(_))),
        visitor.lang.t("discount-removed"),
    ))
}

/// Tells the page context that this browser's cart holds something (see
/// `web::CART_HINT_COOKIE`); true when the browser did not carry the hint yet.
fn set_cart_hint(jar: &CookieJar<'_>, settings: &Settings) -> bool {
    if jar.get(crate::site::page::CART_HINT_COOKIE).is_some() {
        return false;
    }
    let mut hint =
        crate::site::visitor::cookie(crate::site::page::CART_HINT_COOKIE, "1".into(), settings);
    hint.set_max_age(rocket::time::Duration::days(365));
    jar.add(hint);
    true
}

#[derive(Debug, FromForm)]
pub struct LineForm {
    /// A product alone names its only variant; a product with options needs `variant_id`.
    /// Text checked here: a garbled id is refused (422), where `Option<i64>` would read None.
    #[field(validate = with(is_id, "an id"))]
    pub product_id: Option<String>,
    #[field(validate = with(is_id, "an id"))]
    pub variant_id: Option<String>,
    /// As typed: a cleared or garbled field gets a message on the page it came from, not a
    /// bare error page.
    #[field(default = String::from("1"))]
    pub quantity: String,
    pub next: Option<String>,
}

fn is_id(typed: &Option<String>) -> bool {
    typed
        .as_deref()
        .is_none_or(|s| s.trim().parse::<i64>().is_ok())
}

impl LineForm {
    fn pick(&self) -> model::Pick {
        let id = |s: &Option<String>| s.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
        model::Pick {
            product_id: id(&self.product_id).map(ProductId),
            variant_id: id(&self.variant_id).map(VariantId),
        }
    }
}

/// Turns the outcome of a cart change into a redirect with a message.
fn outcome(
    result: Result<(), CartError>,
    lang: Lang,
    next: &str,
    success_key: &str,
) -> AppResult<Flash<Redirect>> {
    let to = Redirect::to(next.to_string());
    match result {
        Ok(()) => Ok(Flash::success(to, lang.t(success_key))),
        Err(CartError::NotEnoughStock { name, available }) => {
            let key = if available == 0 {
                "cart-sold-out"
            } else {
                "cart-not-enough"
            };
            let msg = lang.t_args(key, &[("name", name), ("available", available.to_string())]);
            Ok(Flash::error(to, msg))
        }
        Err(CartError::ChooseVariant) => Ok(Flash::error(to, lang.t("cart-choose-variant"))),
        Err(CartError::UnknownProduct) => Err(AppError::NotFound),
        Err(CartError::Db(e)) => Err(e.into()),
    }
}

/// The quantity typed, if it is a whole number in `min..=99` (checked before any database
/// work).
fn quantity(typed: &str, min: i32) -> Option<i32> {
    typed
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|q| (min..=MAX_QUANTITY).contains(q))
}

/// Back to the page the form came from, with the reason.
fn bad_quantity(lang: Lang, next: &str) -> Flash<Redirect> {
    Flash::error(Redirect::to(next.to_string()), lang.t("cart-bad-quantity"))
}

#[post("/cart/add", data = "<form>")]
async fn add_to_cart(
    db: DbRef,
    visitor: &Visitor,
    jar: &CookieJar<'_>,
    settings: &State<Settings>,
    form: Protected<LineForm>,
) -> AppResult<Flash<Redirect>> {
    // From now on the header counts this browser's cart (see `web::CART_HINT_COOKIE`).
    set_cart_hint(jar, settings);
    let next = safe_next(form.next.as_deref().or(Some("/cart")));
    let Some(quantity) = quantity(&form.quantity, 1) else {
        return Ok(bad_quantity(visitor.lang, &next));
    };
    let (owner, pick) = (CartOwner::of(visitor), form.pick());
    let result = db.run(move |c| model::add(c, &owner, pick, quantity)).await;
    outcome(result, visitor.lang, &next, "cart-added")
}

#[post("/cart/update", data = "<form>")]
async fn update_cart(
    db: DbRef,
    visitor: &Visitor,
    form: Protected<LineForm>,
) -> AppResult<Flash<Redirect>> {
    let Some(quantity) = quantity(&form.quantity, 0) else {
        return Ok(bad_quantity(visitor.lang, "/cart"));
    };
    let (owner, pick) = (CartOwner::of(visitor), form.pick());
    let result = db
        .run(move |c| model::set_quantity(c, &owner, pick, quantity))
        .await;
    outcome(result, visitor.lang, "/cart", "cart-updated")
}

#[post("/cart/remove", data = "<form>")]
async fn remove_from_cart(
    db: DbRef,
    visitor: &Visitor,
    form: Protected<LineForm>,
) -> AppResult<Flash<Redirect>> {
    let (owner, pick) = (CartOwner::of(visitor), form.pick());
    let result = db.run(move |c| model::remove(c, &owner, pick)).await;
    outcome(result, visitor.lang, "/cart", "cart-removed")
}
