//! The cart page and its forms: add, change quantity, remove.

use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};

use super::model::{self, CartError, CartOwner, MAX_QUANTITY};
use crate::auth::csrf::safe_next;
use crate::auth::{Protected, Visitor};
use crate::config::Settings;
use crate::db::DbRef;
use crate::error::{AppError, AppResult};
use crate::web::i18n::Lang;
use crate::web::{Html, PageCtx};

pub fn routes() -> Vec<Route> {
    routes![show, add_to_cart, update_cart, remove_from_cart]
}

/// The cart of whoever is asking.
#[get("/cart")]
async fn show(
    db: DbRef,
    mut ctx: PageCtx<'_>,
    jar: &CookieJar<'_>,
    settings: &State<Settings>,
) -> AppResult<Html> {
    let owner = CartOwner::of(ctx.visitor);
    let mut cart = db.run(move |c| model::load(c, &owner)).await?;
    cart.localize(ctx.lang());
    // A cart filled before this browser carried the hint (an older version of the shop):
    // from now on the header counts it, starting with this page.
    if cart.count > 0 && set_cart_hint(jar, settings) {
        ctx.set_cart_count(cart.count);
    }
    Ok(ctx.render("cart/cart", cart))
}

/// Tells the page context that this browser's cart holds something (see
/// `web::CART_HINT_COOKIE`); true when the browser did not carry the hint yet.
fn set_cart_hint(jar: &CookieJar<'_>, settings: &Settings) -> bool {
    if jar.get(crate::web::CART_HINT_COOKIE).is_some() {
        return false;
    }
    let mut hint = crate::auth::guards::cookie(crate::web::CART_HINT_COOKIE, "1".into(), settings);
    hint.set_max_age(rocket::time::Duration::days(365));
    jar.add(hint);
    true
}

#[derive(Debug, FromForm)]
pub struct LineForm {
    pub product_id: i64,
    /// As typed: a cleared or garbled field gets a message on the page it came from, not a
    /// bare error page.
    #[field(default = String::from("1"))]
    pub quantity: String,
    pub next: Option<String>,
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
    let (owner, product) = (CartOwner::of(visitor), form.product_id);
    let result = db
        .run(move |c| model::add(c, &owner, product, quantity))
        .await;
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
    let (owner, product) = (CartOwner::of(visitor), form.product_id);
    let result = db
        .run(move |c| model::set_quantity(c, &owner, product, quantity))
        .await;
    outcome(result, visitor.lang, "/cart", "cart-updated")
}

#[post("/cart/remove", data = "<form>")]
async fn remove_from_cart(
    db: DbRef,
    visitor: &Visitor,
    form: Protected<LineForm>,
) -> AppResult<Flash<Redirect>> {
    let (owner, product) = (CartOwner::of(visitor), form.product_id);
    let result = db.run(move |c| model::remove(c, &owner, product)).await;
    outcome(result, visitor.lang, "/cart", "cart-removed")
}
