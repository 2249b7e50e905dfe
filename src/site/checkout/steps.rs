//! Checkout pages: details → review → confirm. The confirm POST carries an idempotency key,
//! so a double click, a resubmission or a reload yields one order.

use std::sync::Arc;

use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route, State};
use serde::Serialize;

use crate::accounts::{addresses, model as accounts};
use crate::address::places;
use crate::auth::new_token;
use crate::cart::model::{self as cart, Cart, CartOwner};
use crate::checkout::address_api::AddressApi;
use crate::checkout::service::{self, OrderRequest, PlaceError, Placed};
use crate::config::Shop;
use crate::discounts::model as discounts;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::legal::model::terms_label;
use crate::mail::MailWaker;
use crate::money::Money;
use crate::orders::model::Order;
use crate::orders::model::Payment;
use crate::orders::model::Status;
use crate::payments::Payments;
use crate::shipping::flat::{Shipping, ShippingExtras};
use crate::shipping::zones::Zone;
use crate::shipping::{
    self,
    rates::{Offer, Parcel, Table},
};
use crate::site::checkout::form::CheckoutForm;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::totals::Totals;

pub fn routes() -> Vec<Route> {
    routes![details, review, confirm, towns, street_suggestions]
}

/// Street suggestions from the national address API for the checkout's street field
/// (address.js); not found when the shop has not switched the API on.
#[get("/checkout/addresses?<q>&<postal_code>")]
async fn street_suggestions(
    api: &State<AddressApi>,
    q: Option<&str>,
    postal_code: Option<&str>,
) -> Option<(rocket::http::ContentType, String)> {
    if !api.enabled() {
        return None;
    }
    let found = api
        .suggest(q.unwrap_or(""), postal_code.unwrap_or(""))
        .await;
    let body = serde_json::json!({ "addresses": found }).to_string();
    Some((rocket::http::ContentType::JSON, body))
}

#[derive(Serialize)]
struct Towns {
    towns: Vec<&'static str>,
}

/// The communes of a French postal code, for the checkout's town field (address.js); an empty
/// list for a code that does not exist. From the embedded table: no database, no network.
#[get("/checkout/towns?<postal_code>")]
fn towns(postal_code: Option<&str>) -> (rocket::http::ContentType, String) {
    let code: String = postal_code.unwrap_or("").split_whitespace().collect();
    let body = Towns {
        towns: places::towns(&code),
    };
    let text = serde_json::to_string(&body).unwrap_or_else(|_| "{\"towns\":[]}".into());
    (rocket::http::ContentType::JSON, text)
}

#[derive(Serialize)]
struct CheckoutPage<'a> {
    form: FormView<CheckoutForm>,
    cart: Cart,
    shipping_choices: Vec<Offer>,
    /// The way chosen, if it serves the address typed.
    shipping_chosen: Option<Offer>,
    /// The shop prices delivery by its settings (no methods of its own).
    flat_prices: bool,
    shipping_extras: ShippingExtras,
    payment_choices: Vec<&'static str>,
    countries: &'a [&'static str],
    /// The communes of the postal code typed (French addresses), offered for the town field.
    towns: Vec<&'static str>,
    /// Street suggestions are asked of the national address API (address.js).
    address_api: bool,
    guest: bool,
    totals: Totals,
    terms_version: String,
    terms_error: Option<String>,
    /// The way chosen did not serve the address, and the review took the one that does.
    shipping_adapted: bool,
    /// The basket holds an alcoholic beverage: the buyer declares being of age.
    alcohol: bool,
    adult_error: Option<String>,
    /// The total moved between the review and the order: the new one is shown.
    total_changed: bool,
}

/// Whom a discount code's per-customer limit counts: the address typed, the account.
fn customer_of(ctx: &PageCtx<'_>, form: &CheckoutForm) -> discounts::Customer {
    discounts::Customer {
        email: Some(form.email.clone()).filter(|e| !e.is_empty()),
        user_id: ctx.visitor.user.as_ref().map(|u| u.id),
    }
}

/// A checkout page's data: the priced cart, the label of the terms in force, the shop's
/// shipping methods and pickup locations.
type Priced = (Cart, String, Table);

/// The cart priced with its discount code, the label of the terms in force and the ways to
/// receive it. With `drop_refused`, a code that does not apply is taken off the cart (its
/// reason stays shown).
fn priced(
    c: &mut crate::db::DbConn,
    owner: &CartOwner,
    customer: &discounts::Customer,
    fallback_terms: &str,
    drop_refused: bool,
) -> diesel::QueryResult<Priced> {
    let mut basket = cart::load(c, owner)?;
    crate::cart::model::price(c, &mut basket, customer)?;
    if drop_refused && matches!(basket.discount, Some(Err(_))) {
        cart::set_discount_code(c, owner, None)?;
    }
    Ok((
        basket,
        terms_label(c, fallback_terms)?,
        shipping::model::table(c, false)?,
    ))
}

/// What becomes of the cart's discount code as it is priced again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Code {
    Keep,
    /// Taken off if it does not apply (its reason stays shown).
    DropRefused,
    /// Taken off: it stopped applying between review and order.
    Drop,
}

#[get("/checkout")]
async fn details(s: Step<'_>) -> AppResult<Reply> {
    let owner = CartOwner::of(s.ctx.visitor);
    let user_id = s.ctx.visitor.user.as_ref().map(|u| u.id);
    let (basket, prefill, table) =
        s.db.run(move |c| -> diesel::QueryResult<_> {
            let mut basket = cart::load(c, &owner)?;
            let prefill = match user_id {
                Some(id) => Some((accounts::find(c, id)?, addresses::latest(c, id)?)),
                None => None,
            };
            let customer = discounts::Customer {
                email: prefill.as_ref().map(|(user, _)| user.email.clone()),
                user_id,
            };
            crate::cart::model::price(c, &mut basket, &customer)?;
            Ok((basket, prefill, shipping::model::table(c, false)?))
        })
        .await?;
    if basket.is_empty() {
        return Ok(s.to_cart("checkout-empty-cart"));
    }
    // Details sent with an expired session come back as typed (see `csrf::Draft`).
    let typed = s
        .ctx
        .draft_for("/checkout")
        .or_else(|| s.ctx.draft_for("/checkout/confirm"))
        .and_then(|d| d.parse::<CheckoutForm>());
    let form = match typed {
        Some(mut form) => {
            form.key = String::new();
            form.trimmed()
        }
        None => CheckoutForm::prefilled(prefill.as_ref().map(|(u, a)| (u, a.as_ref()))),
    };
    let mut p = s.page(FormView::new(form), (basket, String::new(), table));
    // The first way on offer is chosen until the customer picks another.
    if p.shipping_chosen.is_none() {
        if let Some(first) = p.shipping_choices.first() {
            p.form.values.shipping = first.code.clone();
            p.shipping_chosen = Some(first.clone());
        }
    }
    Ok(Reply::Page(s.ctx.render("checkout/details", p)))
}

/// The details step again, the way chosen refused: it does not serve the address typed.
fn unserved(mut p: CheckoutPage<'_>, lang: Lang) -> CheckoutPage<'_> {
    p.form = p.form.error("shipping", lang.t("err-shipping-unserved"));
    p
}

/// Checks the details; on success shows the review step with a fresh idempotency key.
#[post("/checkout", data = "<form>")]
async fn review(s: Step<'_>, form: Protected<CheckoutForm>) -> AppResult<Reply> {
    let mut form = form.0.trimmed();
    // A code that does not apply to this customer (used as often as allowed with this
    // address, say) leaves the cart here, with its message, so the price reviewed is the price
    // charged.
    let Some(basket) = s.load_priced(&form, Code::DropRefused).await? else {
        return Ok(s.to_cart("checkout-empty-cart"));
    };
    match form.check(s.payments.cards()) {
        Err(errors) => {
            let view = FormView::with_errors(form, &errors, s.ctx.lang());
            Ok(Reply::Invalid(
                s.ctx.render("checkout/details", s.page(view, basket)),
            ))
        }
        Ok(_) => {
            form.key = new_token().0;
            let zone = Zone::of(&form.country, &form.postal_code);
            let elsewhere = basket.2.kind_elsewhere(&form.shipping, zone);
            let mut p = s.page(FormView::new(form), basket);
            if p.shipping_chosen.is_none() {
                // The details page chose the first way for the mainland; a Corsican or a
                // Belgian address is served by another one: the review takes it, and says so
                // beside its price (the order is only placed from the review).
                let adapted = elsewhere.and_then(|kind| {
                    p.shipping_choices
                        .iter()
                        .find(|o| o.kind == kind)
                        .or_else(|| {
                            p.shipping_choices
                                .iter()
                                .find(|o| o.kind != Shipping::Pickup)
                        })
                        .cloned()
                });
                let Some(offer) = adapted else {
                    let p = unserved(p, s.ctx.lang());
                    return Ok(Reply::Invalid(s.ctx.render("checkout/details", p)));
                };
                p.form.values.shipping = offer.code.clone();
                p.totals = p.cart.totals(offer.cents);
                p.shipping_chosen = Some(offer);
                p.shipping_adapted = true;
            }
            Ok(Reply::Page(s.ctx.render("checkout/review", p)))
        }
    }
}

/// Places the order reviewed: one per idempotency key, whatever repeats the request.
#[post("/checkout/confirm", data = "<form>")]
async fn confirm(
    s: Step<'_>,
    waker: &State<MailWaker>,
    form: Protected<CheckoutForm>,
) -> AppResult<Reply> {
    let form = form.0.trimmed();
    let key_ok = (32..=64).contains(&form.key.len());
    let details = match form.check(s.payments.cards()) {
        Ok(details) if form.accept_terms && key_ok => details,
        checked => return s.refused(form, checked.err(), key_ok).await,
    };
    let request = OrderRequest {
        owner: CartOwner::of(s.ctx.visitor),
        user_id: s.ctx.visitor.user.as_ref().map(|u| u.id),
        details,
        lang: s.ctx.lang(),
        idempotency_key: form.key.clone(),
        card_provider: s.payments.provider.as_ref().map(|p| p.name()),
        adult_declared: form.adult,
        reviewed_total: form.total.parse().ok().map(Money),
    };
    let placed = service::confirm(&s.db, s.shop, s.payments, waker, request).await;
    s.after(form, placed).await
}

/// What every checkout step needs: the request's connection and page context, the shop and
/// its payment provider.
struct Step<'r> {
    db: DbRef,
    ctx: PageCtx<'r>,
    shop: &'r Arc<Shop>,
    payments: &'r Payments,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Step<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let db = try_outcome!(req.guard::<DbRef>().await);
        let ctx = try_outcome!(req.guard::<PageCtx<'r>>().await);
        let shop = try_outcome!(req
            .guard::<&State<Arc<Shop>>>()
            .await
            .map_error(|(s, _)| (s, ())));
        let payments = try_outcome!(req
            .guard::<&State<Payments>>()
            .await
            .map_error(|(s, _)| (s, ())));
        Outcome::Success(Step {
            db,
            ctx,
            shop: shop.inner(),
            payments: payments.inner(),
        })
    }
}

impl Step<'_> {
    /// The page of either step; `terms_version` (in `priced`) is the label of the terms in
    /// force, shown at the review step (empty at the details step).
    fn page(
        &self,
        form: FormView<CheckoutForm>,
        (mut cart, terms_version, table): Priced,
    ) -> CheckoutPage<'_> {
        let (shop, lang) = (self.shop, self.ctx.lang());
        cart.localize(lang);
        // Priced for the address typed so far (the mainland until a postal code says
        // otherwise); the review step shows the price that will be charged.
        let goods = cart.totals(Money::ZERO).total_cents;
        let country = Some(form.values.country.as_str()).filter(|c| !c.is_empty());
        let parcel = Parcel::to(
            country,
            &form.values.postal_code,
            cart.weight_grams(),
            Some(goods),
        );
        let offers = table.offers(&shop.settings(), parcel, lang == Lang::En);
        let chosen = offers
            .iter()
            .find(|o| o.code == form.values.shipping)
            .cloned();
        let shipping_cents = chosen.as_ref().map_or(Money::ZERO, |o| o.cents);
        CheckoutPage {
            flat_prices: table.methods.is_empty(),
            shipping_choices: offers,
            shipping_chosen: chosen,
            shipping_extras: ShippingExtras::of(&shop.settings()),
            payment_choices: Payment::offered(self.payments.cards()),
            countries: &crate::address::COUNTRIES,
            towns: match form.values.country.as_str() {
                "FR" => places::towns(&form.values.postal_code),
                _ => Vec::new(),
            },
            address_api: AddressApi::configured(&shop.settings()).is_some(),
            guest: self.ctx.visitor.user.is_none(),
            totals: cart.totals(shipping_cents),
            terms_version,
            terms_error: None,
            shipping_adapted: false,
            alcohol: cart.holds_alcohol(),
            adult_error: None,
            total_changed: false,
            form,
            cart,
        }
    }

    /// The cart priced for a checkout page (see [`priced`]); `None` when it is empty.
    async fn load_priced(&self, form: &CheckoutForm, code: Code) -> AppResult<Option<Priced>> {
        let owner = CartOwner::of(self.ctx.visitor);
        let customer = customer_of(&self.ctx, form);
        let fallback = self.shop.settings().terms_version.clone();
        let basket = self
            .db
            .run(move |c| {
                let basket = priced(c, &owner, &customer, &fallback, code == Code::DropRefused)?;
                if code == Code::Drop {
                    cart::set_discount_code(c, &owner, None)?;
                }
                Ok::<_, diesel::result::Error>(basket)
            })
            .await?;
        Ok(Some(basket).filter(|b| !b.0.is_empty()))
    }

    fn to_cart(&self, key: &str) -> Reply {
        Reply::Flash(Flash::error(
            Redirect::to(uri!(crate::site::shop::cart::show(_))),
            self.ctx.lang().t(key),
        ))
    }

    /// A confirmation refused before anything is ordered: the details page again with its
    /// errors, or the review step with the terms box to tick (and a fresh key, when the one
    /// sent was not one of ours).
    async fn refused(
        &self,
        form: CheckoutForm,
        errors: Option<validator::ValidationErrors>,
        key_ok: bool,
    ) -> AppResult<Reply> {
        let Some(basket) = self.load_priced(&form, Code::Keep).await? else {
            return Ok(self.to_cart("checkout-empty-cart"));
        };
        let lang = self.ctx.lang();
        Ok(Reply::Invalid(match errors {
            Some(errors) => {
                let view = FormView::with_errors(form, &errors, lang);
                self.ctx.render("checkout/details", self.page(view, basket))
            }
            None => {
                let mut p = self.page(FormView::new(form), basket);
                p.terms_error = Some(lang.t("err-accept_terms"));
                if !key_ok {
                    p.form.values.key = new_token().0;
                }
                self.ctx.render("checkout/review", p)
            }
        }))
    }

    /// Where a confirmation leads: the order's page (or its payment page), or back to the step
    /// that has to change, saying why.
    async fn after(
        &self,
        form: CheckoutForm,
        placed: Result<Placed, PlaceError>,
    ) -> AppResult<Reply> {
        let lang = self.ctx.lang();
        match placed {
            Ok(Placed::New(order)) => Ok(Reply::Flash(Flash::success(
                Redirect::to(order_path(self.shop, &order)),
                lang.t("checkout-thanks"),
            ))),
            Ok(Placed::Existing(order)) => {
                Ok(Reply::Redirect(Redirect::to(order_path(self.shop, &order))))
            }
            Err(PlaceError::Short { name, available }) => {
                let key = if available == 0 {
                    "cart-sold-out"
                } else {
                    "cart-not-enough"
                };
                let msg = lang.t_args(key, &[("name", name), ("available", available.to_string())]);
                Ok(Reply::Flash(Flash::error(
                    Redirect::to(uri!(crate::site::shop::cart::show(_))),
                    msg,
                )))
            }
            // The code stopped applying between review and order (used up by other orders,
            // say): it leaves the cart and the review shows the new total with the reason.
            Err(PlaceError::Discount(refusal)) => {
                let Some((mut basket, terms, table)) = self.load_priced(&form, Code::Drop).await?
                else {
                    return Ok(self.to_cart("checkout-empty-cart"));
                };
                basket.set_discount(Some(Err(refusal)));
                let p = self.page(FormView::new(form), (basket, terms, table));
                Ok(Reply::Invalid(self.ctx.render("checkout/review", p)))
            }
            // The method stopped serving the address (the shop changed it, the basket grew):
            // back to the choice, nothing ordered.
            Err(PlaceError::Shipping) => {
                let Some(basket) = self.load_priced(&form, Code::Keep).await? else {
                    return Ok(self.to_cart("checkout-empty-cart"));
                };
                let p = unserved(self.page(FormView::new(form), basket), lang);
                Ok(Reply::Invalid(self.ctx.render("checkout/details", p)))
            }
            // The basket holds alcohol and the box was not ticked: the review again, saying so.
            Err(PlaceError::AgeNotDeclared) => {
                let Some(basket) = self.load_priced(&form, Code::Keep).await? else {
                    return Ok(self.to_cart("checkout-empty-cart"));
                };
                let mut p = self.page(FormView::new(form), basket);
                p.adult_error = Some(lang.t("err-adult"));
                Ok(Reply::Invalid(self.ctx.render("checkout/review", p)))
            }
            // A sale ended or a price changed after the review: the review again, with the new
            // total and why.
            Err(PlaceError::TotalChanged) => {
                let Some(basket) = self.load_priced(&form, Code::Keep).await? else {
                    return Ok(self.to_cart("checkout-empty-cart"));
                };
                let mut p = self.page(FormView::new(form), basket);
                p.total_changed = true;
                Ok(Reply::Invalid(self.ctx.render("checkout/review", p)))
            }
            Err(PlaceError::EmptyCart) => Ok(self.to_cart("checkout-empty-cart")),
            Err(PlaceError::Unavailable) => Err(AppError::Busy),
            Err(PlaceError::Db(e)) => Err(e.into()),
            Err(PlaceError::Mail(e)) => Err(AppError::Mail(e.to_string())),
            // Checked with the form: only if the keys went away between the two.
            Err(PlaceError::NoCardPayment) => Err(AppError::Internal("card payment gone".into())),
        }
    }
}

/// Where a placed order leads: its payment page for a card order still to pay, else its page
/// (signed, so that guests can open it too).
fn order_path(shop: &Shop, order: &Order) -> String {
    let pay = order.payment_method == Payment::Card && order.status == Status::AwaitingPayment;
    shop.order_path(&order.number, if pay { "/pay" } else { "" })
}
