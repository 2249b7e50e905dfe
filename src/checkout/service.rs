//! Placing an order: one write transaction that takes the stock, writes the order and its
//! lines, empties the cart and queues the confirmation emails. If any line is short, nothing
//! is written.

use std::sync::Arc;

use diesel::prelude::*;
use serde::Serialize;

use crate::cart::model::{self as cart, CartOwner};
use crate::catalog::stock;
use crate::checkout::details::CheckoutDetails;
use crate::config::Shop;
use crate::db::now;
use crate::db::{is_conflict, is_unique_violation, DbConn, Runner};
use crate::discounts::model as discounts;
use crate::i18n::Lang;
use crate::ids::{OrderId, OrderLineId, UserId};
use crate::mail::{outbox, MailWaker};
use crate::money::Money;
use crate::orders::model::{self as orders, NewOrder, Order, OrderLine, OrderView, Payment};
use crate::payments::model as payments;
use crate::shipping::{self, rates::Parcel};
use crate::templates::EmailKind;

pub struct OrderRequest {
    pub owner: CartOwner,
    pub user_id: Option<UserId>,
    pub details: CheckoutDetails,
    pub lang: Lang,
    pub idempotency_key: String,
    /// The provider a card payment is opened with (none when cards are not offered).
    pub card_provider: Option<&'static str>,
    /// The buyer declared being 18 or over (needed when the basket holds alcohol).
    pub adult_declared: bool,
    /// The total the buyer reviewed; the order is refused when it comes to another.
    pub reviewed_total: Option<Money>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlaceError {
    #[error("the cart is empty")]
    EmptyCart,
    /// The basket holds an alcoholic beverage and the buyer did not declare being of age
    /// (code de la santé publique art. L3342-1).
    #[error("the buyer did not declare being of age")]
    AgeNotDeclared,
    /// No database connection could be had.
    #[error("the database is unavailable")]
    Unavailable,
    #[error("not enough stock for {name}")]
    Short { name: String, available: i32 },
    #[error("card payment is not offered")]
    NoCardPayment,
    /// The way chosen does not serve the address (or the basket: too heavy for it).
    #[error("the shipping method does not serve this address")]
    Shipping,
    /// The total is not the one reviewed (a sale ended or a price changed meanwhile).
    #[error("the total changed since the review")]
    TotalChanged,
    /// The cart's discount code no longer applies (used up meanwhile, expired, …).
    #[error("the discount code does not apply")]
    Discount(crate::discounts::rules::Refusal),
    #[error("email: {0}")]
    Mail(#[from] tera::Error),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The order, and whether this request created it or found it placed by an earlier submit.
pub enum Placed {
    New(Order),
    Existing(Order),
}

/// Places the order the confirmation asks for (one transaction: see [`place_order`]), then,
/// for a new one, wakes the mail sender and, for a card order, opens its payment at the
/// provider, so the payment page shows the card field at once (when the provider cannot be
/// reached, that page offers to try again).
pub async fn confirm(
    db: &impl Runner,
    shop: &Arc<Shop>,
    payments: &crate::payments::Payments,
    waker: &MailWaker,
    request: OrderRequest,
) -> Result<Placed, PlaceError> {
    let handle = Arc::clone(shop);
    let placed = db
        .run(move |c| place_order(c, &request, &handle))
        .await
        .ok_or(PlaceError::Unavailable)??;
    if let Placed::New(order) = &placed {
        waker.wake();
        if let (Payment::Card, Some(provider)) = (order.payment_method, &payments.provider) {
            let _ = crate::payments::open::open(db, Arc::clone(provider), order.id).await;
        }
    }
    Ok(placed)
}

/// How many times a checkout that lost a deadlock or a serialization conflict is tried again.
const CONFLICT_RETRIES: u32 = 4;

pub fn place_order(
    conn: &mut DbConn,
    req: &OrderRequest,
    shop: &Shop,
) -> Result<Placed, PlaceError> {
    let mut attempt = 0;
    let placed = loop {
        match conn.write_tx(|c| place_in_tx(c, req, shop)) {
            Err(PlaceError::Db(e)) if is_conflict(&e) && attempt < CONFLICT_RETRIES => {
                attempt += 1;
                log::warn!("checkout conflict ({e}), attempt {attempt}: trying again");
                // A little apart, so the transactions that collided do not collide again.
                let jitter = rand::random::<u64>() % 20;
                std::thread::sleep(std::time::Duration::from_millis(
                    jitter + 10 * u64::from(attempt),
                ));
            }
            other => break other,
        }
    };
    match placed {
        // A concurrent submit with the same key won the race: show its order.
        Err(PlaceError::Db(e)) if is_unique_violation(&e) => {
            match orders::by_idempotency_key(conn, &req.idempotency_key)? {
                Some(order) => Ok(Placed::Existing(order)),
                None => Err(PlaceError::Db(e)),
            }
        }
        other => other,
    }
}

/// Serialises transactions that carry the same idempotency key (PostgreSQL; SQLite already
/// runs one writer at a time), so the second sees the first's order instead of racing it.
fn lock_key(conn: &mut DbConn, key: &str) -> QueryResult<()> {
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

fn place_in_tx(c: &mut DbConn, req: &OrderRequest, shop: &Shop) -> Result<Placed, PlaceError> {
    lock_key(c, &req.idempotency_key)?;
    if let Some(existing) = orders::by_idempotency_key(c, &req.idempotency_key)? {
        return Ok(Placed::Existing(existing));
    }
    let basket = cart::load(c, &req.owner)?;
    let Some(cart_id) = basket.id.filter(|_| !basket.is_empty()) else {
        return Err(PlaceError::EmptyCart);
    };
    // Read with the basket the order is made of, whatever the review showed.
    let of_age = basket.holds_alcohol().then_some(req.adult_declared);
    if of_age == Some(false) {
        return Err(PlaceError::AgeNotDeclared);
    }
    // Stock rows are locked in one order (variants by id, then products by id) in every
    // checkout, so two carts holding the same things the other way round never deadlock.
    let wanted: Vec<stock::Units> = basket
        .lines
        .iter()
        .map(|l| stock::Units {
            variant_id: l.line.variant_id,
            quantity: l.line.quantity,
        })
        .collect();
    let taken = match stock::take(c, &wanted)? {
        Ok(taken) => taken,
        Err(short) => {
            let line = &basket.lines[short].line;
            let name = if line.variant.is_empty() {
                line.name.clone()
            } else {
                format!("{} ({})", line.name, line.variant)
            };
            // Read again: the stock seen when the cart was loaded may be stale by now.
            return Err(PlaceError::Short {
                name,
                available: stock::available(c, line.variant_id)?,
            });
        }
    };
    let d = &req.details;
    // After the stock, always in this order: the code's row is the last lock an order takes.
    let customer = discounts::Customer {
        email: Some(d.email.clone()),
        user_id: req.user_id,
    };
    let applied = match discounts::claim(
        c,
        basket.discount_code.as_deref(),
        &basket.discount_lines(),
        &customer,
    )? {
        None => None,
        Some(Ok(applied)) => Some(applied),
        Some(Err(refusal)) => return Err(PlaceError::Discount(refusal)),
    };
    // The goods after the discount decide the free-shipping threshold and value bands.
    let mut basket = basket;
    basket.set_discount(applied.clone().map(Ok));
    let goods_cents = basket.totals(Money::ZERO).total_cents;
    let weight = basket.weight_grams();
    let parcel = Parcel::to(
        Some(&d.address.country),
        &d.address.postal_code,
        weight,
        Some(goods_cents),
    );
    let offer = shipping::model::table(c, false)?
        .chosen(&shop.settings(), parcel, d.shipping, req.lang == Lang::En)
        .ok_or(PlaceError::Shipping)?;
    let shipping_cents = match &applied {
        Some(a) if a.free_shipping => Money::ZERO,
        _ => offer.cents,
    };
    let number = orders::next_number(c)?;
    let now = now();
    let franchise = shop.settings().vat_franchise;
    let draft_lines: Vec<OrderLine> = basket
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| OrderLine {
            id: OrderLineId(0),
            order_id: OrderId(0),
            product_id: Some(l.line.product_id),
            // The name as sold, with the variant's options: every page, email and document
            // that lists the order's lines shows which size or colour it was.
            product_name: if l.line.variant.is_empty() {
                l.line.name.clone()
            } else {
                format!("{} ({})", l.line.name, l.line.variant)
            },
            product_slug: l.line.slug.clone(),
            unit_price_cents: l.line.unit_price_cents,
            // Under the VAT franchise no VAT is charged: the lines carry none.
            vat_rate_bp: if franchise { 0 } else { l.line.vat_rate_bp },
            quantity: l.line.quantity,
            line_total_cents: l.total_cents,
            discount_cents: applied
                .as_ref()
                .and_then(|a| a.per_line.get(i))
                .copied()
                .unwrap_or(Money::ZERO),
            variant_id: Some(l.line.variant_id),
            variant_label: l.line.variant.clone(),
            sku: l.line.sku.clone(),
            reference_cents: l
                .line
                .sale
                .filter(|s| s.announced && l.line.unit_price_cents == s.price_cents)
                .map(|s| s.reference_cents),
        })
        .collect();
    let totals = crate::totals::discounted(
        draft_lines
            .iter()
            .map(|l| (l.vat_rate_bp, l.line_total_cents, l.discount_cents)),
        shipping_cents,
    );
    // What the buyer agreed to pay, or nothing is ordered (the transaction rolls back the
    // stock taken and the code claimed).
    if req
        .reviewed_total
        .is_some_and(|reviewed| reviewed != totals.total_cents)
    {
        return Err(PlaceError::TotalChanged);
    }
    // The terms in force as the order is placed (what the order button's box accepted).
    let terms = crate::legal::model::terms_label(c, &shop.settings().terms_version)?;
    let new = NewOrder {
        number: &number,
        user_id: req.user_id,
        email: &d.email,
        status: orders::Status::AwaitingPayment,
        idempotency_key: &req.idempotency_key,
        ship_name: &d.address.full_name,
        ship_street: &d.address.street,
        ship_postal_code: &d.address.postal_code,
        ship_city: &d.address.city,
        ship_country: &d.address.country,
        ship_phone: d.address.phone.as_deref(),
        shipping_method: offer.kind,
        shipping_cents,
        payment_method: d.payment,
        items_cents: totals.items_cents,
        vat_cents: totals.vat_cents,
        total_cents: totals.total_cents,
        terms_version: &terms,
        buyer_company: d.company.as_deref(),
        buyer_siret: d.siret.as_deref(),
        buyer_vat_number: d.vat_number.as_deref(),
        discount_code: applied.as_ref().map(|a| a.code.as_str()),
        locale: req.lang.code(),
        created_at: now,
        updated_at: now,
    };
    let order_id = orders::insert(c, &new)?;
    let lines: Vec<OrderLine> = draft_lines
        .into_iter()
        .map(|l| OrderLine { order_id, ..l })
        .collect();
    orders::insert_lines(c, &lines)?;
    orders::insert_vat(c, order_id, &totals)?;
    if of_age.is_some() {
        orders::record_age_declaration(c, order_id, now)?;
    }
    shipping::model::record_order(c, order_id, &offer, weight)?;
    if let Some(applied) = &applied {
        discounts::record(c, applied, order_id, &customer)?;
    }
    if d.payment == Payment::Card {
        let provider = req.card_provider.ok_or(PlaceError::NoCardPayment)?;
        payments::create_pending(c, order_id, provider, totals.total_cents)?;
    }
    for moved in &taken {
        stock::record_movement(
            c,
            moved,
            -moved.quantity,
            stock::REASON_ORDER,
            req.user_id,
            Some(order_id),
        )?;
    }
    cart::clear(c, cart_id)?;
    if let Some(user_id) = req.user_id {
        crate::accounts::addresses::remember(c, user_id, &d.address)?;
    }
    let order = orders::by_number(c, &number)?;
    let view = OrderView::new(order.clone(), lines, totals.vat).with_shipping(
        offer
            .label()
            .map(|l| (l, offer.hours.clone().unwrap_or_default())),
    );
    queue_order_emails(c, shop, view, req.lang)?;
    Ok(Placed::New(order))
}

#[derive(Serialize)]
struct OrderEmail<'a> {
    #[serde(flatten)]
    view: &'a OrderView,
    shop_name: &'a str,
    link: String,
    /// The exact terms the customer accepted.
    terms_link: String,
    bank_transfer: bool,
    iban: &'a str,
    bic: &'a str,
    unpaid_cancel_days: i64,
}

/// The customer's confirmation and the staff's notification, into the outbox.
fn queue_order_emails(
    c: &mut DbConn,
    shop: &Shop,
    view: OrderView,
    lang: Lang,
) -> Result<(), PlaceError> {
    let s = shop.settings();
    let data = OrderEmail {
        view: &view,
        shop_name: &s.shop_name,
        link: shop.order_link(&view.order.number),
        terms_link: shop.absolute(&crate::legal::terms_path(&view.order.terms_version)),
        bank_transfer: view.order.payment_method == Payment::BankTransfer,
        iban: &s.bank_iban,
        bic: &s.bank_bic,
        unpaid_cancel_days: s.unpaid_cancel_days,
    };
    let confirmation =
        shop.mail
            .render(EmailKind::OrderConfirmation, &view.order.email, lang, &data)?;
    outbox::enqueue(c, &confirmation, Some(view.order.id))?;
    if let Some(staff) = s.staff_address() {
        let notice = shop
            .mail
            .render(EmailKind::NewOrderStaff, staff, Lang::Fr, &data)?;
        outbox::enqueue(c, &notice, Some(view.order.id))?;
    }
    Ok(())
}
