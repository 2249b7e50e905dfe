//! Back-in-stock alerts: an address waits for a sold-out product. A visitor's address is
//! confirmed by a link first (double opt-in), a signed-in customer's at once. When the product
//! is on sale again, a background task queues one email per alert through the outbox, in the
//! transaction that marks the alert sent, so each goes out once whatever runs beside it.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use crate::config::Shop;
use crate::db::schema::{product_variants, products, stock_alerts};
use crate::db::{is_unique_violation, now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{ProductId, UserId, VariantId};
use crate::mail::{limits, outbox};
use crate::money::Money;
use crate::templates::EmailKind;

/// How long a visitor's confirmation link works; unconfirmed alerts are deleted after.
pub const CONFIRM_DAYS: i64 = 7;
/// Alerts released per task beat (the rest go at the next one).
const BATCH: i64 = 200;

type Waiting = diesel::dsl::And<
    diesel::dsl::IsNull<stock_alerts::notified_at>,
    diesel::dsl::IsNotNull<stock_alerts::confirmed_at>,
>;

/// An alert that waits: confirmed and not sent yet (what the release, the product's page and
/// the demand list count).
fn is_waiting() -> Waiting {
    stock_alerts::notified_at
        .is_null()
        .and(stock_alerts::confirmed_at.is_not_null())
}

/// What became of a request for an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscribed {
    /// Confirmed: an email goes out when the product is back.
    Waiting,
    /// A visitor's address: a confirmation link was sent (or was already, recently).
    ConfirmationSent,
    /// The product is on sale: nothing to wait for.
    InStock,
}

/// The product an alert is about, as its emails and pages name it: with its variant's name,
/// price and stock when the alert waits for one variant.
#[derive(Debug, Clone, Serialize)]
pub struct AlertProduct {
    pub id: ProductId,
    pub variant_id: Option<VariantId>,
    pub slug: String,
    pub name: String,
    pub price_cents: Money,
    pub stock: i32,
    pub active: bool,
    /// On sale now: active with stock.
    pub in_stock: bool,
}

/// A product's row as alerts read it.
#[derive(Queryable, Selectable)]
#[diesel(table_name = products)]
struct ProductRow {
    id: ProductId,
    slug: String,
    name: String,
    name_en: String,
    price_cents: Money,
    stock: i32,
    active: bool,
}

impl AlertProduct {
    fn from_row(row: ProductRow, lang: Lang) -> AlertProduct {
        let name = match lang {
            Lang::En => crate::text::english_or(&row.name_en, &row.name).to_string(),
            _ => row.name,
        };
        AlertProduct {
            id: row.id,
            variant_id: None,
            slug: row.slug,
            name,
            price_cents: row.price_cents,
            stock: row.stock,
            active: row.active,
            in_stock: row.active && row.stock > 0,
        }
    }

    fn load(
        c: &mut DbConn,
        id: ProductId,
        variant: Option<VariantId>,
        lang: Lang,
    ) -> QueryResult<AlertProduct> {
        let row = products::table
            .find(id)
            .select(ProductRow::as_select())
            .first(c)?;
        AlertProduct::from_row(row, lang).with_variant(c, variant)
    }

    /// The product as one of its variants (a 404 for another product's variant).
    fn with_variant(
        mut self,
        c: &mut DbConn,
        variant: Option<VariantId>,
    ) -> QueryResult<AlertProduct> {
        let Some(variant) = variant else {
            return Ok(self);
        };
        let v = crate::catalog::variants::find(c, variant)?;
        if v.product_id != self.id {
            return Err(diesel::result::Error::NotFound);
        }
        let label = v.label();
        if !label.is_empty() {
            self.name = format!("{} ({label})", self.name);
        }
        self.variant_id = Some(v.id);
        self.price_cents = v.price(self.price_cents);
        self.stock = if v.active { v.stock } else { 0 };
        self.in_stock = self.active && self.stock > 0;
        Ok(self)
    }

    /// Its page in the storefront, showing its variant.
    pub fn path(&self) -> String {
        match self.variant_id {
            Some(v) => format!("/products/{}?variant={v}", self.slug),
            None => format!("/products/{}", self.slug),
        }
    }
}

/// A product on sale in the storefront, by its address, as one of its variants if one is
/// named; `None` when there is none.
pub fn product_by_slug(
    c: &mut DbConn,
    slug: &str,
    variant: Option<VariantId>,
    lang: Lang,
) -> QueryResult<Option<AlertProduct>> {
    let row: Option<ProductRow> = products::table
        .filter(products::slug.eq(slug))
        .filter(products::active.eq(true))
        .select(ProductRow::as_select())
        .first(c)
        .optional()?;
    match row {
        Some(row) => AlertProduct::from_row(row, lang)
            .with_variant(c, variant)
            .map(Some),
        None => Ok(None),
    }
}

#[derive(Serialize)]
struct ConfirmEmail<'a> {
    shop_name: &'a str,
    product: &'a AlertProduct,
    link: String,
    days: i64,
}

#[derive(Serialize)]
struct BackEmail<'a> {
    shop_name: &'a str,
    product: &'a AlertProduct,
    link: String,
}

/// What a back-in-stock alert form asks for, and who asks.
pub struct AlertRequest<'a> {
    pub product_id: ProductId,
    pub variant_id: Option<VariantId>,
    pub email: &'a str,
    /// The signed-in customer (their own address).
    pub user: Option<UserId>,
    /// The client's address, for the limits on visitors' emails.
    pub client: &'a str,
    pub lang: Lang,
}

/// Asks for an email when the product (or that one of its variants) is back: at once
/// confirmed for a signed-in user (their own address), through a link sent to the address for a
/// visitor.
pub fn subscribe(conn: &mut DbConn, shop: &Shop, req: AlertRequest<'_>) -> AppResult<Subscribed> {
    let AlertRequest {
        product_id,
        variant_id,
        email,
        user,
        client,
        lang,
    } = req;
    let email = crate::accounts::model::normalize_email(email);
    let kind = EmailKind::StockAlertConfirm;
    conn.write_tx(|c| {
        // A visitor's address gets a link: within the limits of `mail::limits`, answered alike
        // whatever they decide.
        if user.is_none() && !limits::client_may_ask(c, shop, client, kind)? {
            return Ok(Subscribed::ConfirmationSent);
        }
        let product = AlertProduct::load(c, product_id, variant_id, lang)?;
        if !product.active {
            return Err(AppError::NotFound);
        }
        if product.in_stock {
            return Ok(Subscribed::InStock);
        }
        let waiting = stock_alerts::table
            .filter(stock_alerts::product_id.eq(product_id))
            .filter(stock_alerts::email.eq(&email))
            .filter(stock_alerts::notified_at.is_null())
            .select((stock_alerts::id, stock_alerts::confirmed_at))
            .into_boxed();
        let waiting = match variant_id {
            Some(v) => waiting.filter(stock_alerts::variant_id.eq(v)),
            None => waiting.filter(stock_alerts::variant_id.is_null()),
        };
        let waiting: Option<(i64, Option<NaiveDateTime>)> = waiting.first(c).optional()?;
        let now = now();
        match (waiting, user) {
            (Some((_, Some(_))), _) => return Ok(Subscribed::Waiting),
            // The owner of the address, signed in, confirms a visitor's request.
            (Some((id, None)), Some(user)) => {
                diesel::update(stock_alerts::table.find(id))
                    .set((
                        stock_alerts::confirmed_at.eq(Some(now)),
                        stock_alerts::user_id.eq(Some(user)),
                        stock_alerts::token_hash.eq(None::<String>),
                    ))
                    .execute(c)?;
                return Ok(Subscribed::Waiting);
            }
            // A link went out already: the same answer, no second email.
            (Some((_, None)), None) => {
                limits::nothing_to_send(c, client, kind)?;
                return Ok(Subscribed::ConfirmationSent);
            }
            (None, _) => {}
        }
        let (token, hash) = match user {
            Some(_) => (None, None),
            None => {
                let (token, hash) = crate::auth::new_token();
                (Some(token), Some(hash))
            }
        };
        // In a savepoint: on PostgreSQL a failed insert spoils the rest of the transaction.
        let inserted = c.transaction(|c| {
            diesel::insert_into(stock_alerts::table)
                .values((
                    stock_alerts::product_id.eq(product_id),
                    stock_alerts::variant_id.eq(variant_id),
                    stock_alerts::user_id.eq(user),
                    stock_alerts::email.eq(&email),
                    stock_alerts::locale.eq(lang.code()),
                    stock_alerts::token_hash.eq(&hash),
                    stock_alerts::created_at.eq(now),
                    stock_alerts::confirmed_at.eq(user.map(|_| now)),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_) => {}
            // The same request twice at once: the first one answers for both.
            Err(e) if is_unique_violation(&e) => {
                return Ok(match user {
                    Some(_) => Subscribed::Waiting,
                    None => Subscribed::ConfirmationSent,
                })
            }
            Err(e) => return Err(e.into()),
        }
        let Some(token) = token else {
            return Ok(Subscribed::Waiting);
        };
        let mail = shop
            .mail
            .render(
                kind,
                &email,
                lang,
                &ConfirmEmail {
                    shop_name: &shop.settings().shop_name,
                    product: &product,
                    link: shop.absolute(&format!("/alerts/confirm?token={token}")),
                    days: CONFIRM_DAYS,
                },
            )
            .map_err(|e| AppError::Mail(e.to_string()))?;
        limits::send(c, shop, client, &mail, None)?;
        Ok(Subscribed::ConfirmationSent)
    })
}

/// The unconfirmed alert a link stands for, still valid.
fn find_unconfirmed(
    c: &mut DbConn,
    token: &str,
) -> QueryResult<Option<(i64, ProductId, Option<VariantId>)>> {
    stock_alerts::table
        .filter(stock_alerts::token_hash.eq(crate::auth::hash_token(token)))
        .filter(stock_alerts::confirmed_at.is_null())
        .filter(stock_alerts::created_at.gt(now() - Duration::days(CONFIRM_DAYS)))
        .select((
            stock_alerts::id,
            stock_alerts::product_id,
            stock_alerts::variant_id,
        ))
        .first(c)
        .optional()
}

/// The product a confirmation link is for, if the link still works (changes nothing).
pub fn peek(c: &mut DbConn, token: &str, lang: Lang) -> QueryResult<Option<AlertProduct>> {
    match find_unconfirmed(c, token)? {
        Some((_, product, variant)) => AlertProduct::load(c, product, variant, lang).map(Some),
        None => Ok(None),
    }
}

/// Confirms a visitor's alert (the link works once); returns its product, `None` when the link
/// is unknown, used or too old.
pub fn confirm(conn: &mut DbConn, token: &str, lang: Lang) -> QueryResult<Option<AlertProduct>> {
    conn.write_tx(|c| {
        let Some((id, product, variant)) = find_unconfirmed(c, token)? else {
            return Ok(None);
        };
        let changed = diesel::update(
            stock_alerts::table
                .find(id)
                .filter(stock_alerts::confirmed_at.is_null()),
        )
        .set((
            stock_alerts::confirmed_at.eq(Some(now())),
            stock_alerts::token_hash.eq(None::<String>),
        ))
        .execute(c)?;
        if changed == 0 {
            return Ok(None);
        }
        let product = AlertProduct::load(c, product, variant, lang)?;
        // Back already: the page that follows says so, no email needed.
        if product.in_stock {
            diesel::update(stock_alerts::table.find(id))
                .set(stock_alerts::notified_at.eq(Some(now())))
                .execute(c)?;
        }
        Ok(Some(product))
    })
}

/// Queues the email of every confirmed alert whose product is on sale again; returns how many
/// were queued. Each alert is claimed by a conditional UPDATE in the transaction that queues
/// its email, so two instances running this at once never send one twice.
pub fn release_due(conn: &mut DbConn, shop: &Shop) -> AppResult<usize> {
    let columns = (
        stock_alerts::id,
        stock_alerts::product_id,
        stock_alerts::variant_id,
        stock_alerts::email,
        stock_alerts::locale,
    );
    // Alerts for a product, whichever variant comes back…
    let mut due: Vec<(i64, ProductId, Option<VariantId>, String, String)> = stock_alerts::table
        .inner_join(products::table)
        .filter(is_waiting())
        .filter(stock_alerts::variant_id.is_null())
        .filter(products::active.eq(true))
        .filter(products::stock.gt(0))
        .order(stock_alerts::id)
        .limit(BATCH)
        .select(columns)
        .load(conn)?;
    // …and alerts for one variant, when that one is back.
    due.extend(
        stock_alerts::table
            .inner_join(products::table)
            .inner_join(
                product_variants::table
                    .on(stock_alerts::variant_id.eq(product_variants::id.nullable())),
            )
            .filter(is_waiting())
            .filter(products::active.eq(true))
            .filter(product_variants::active.eq(true))
            .filter(product_variants::stock.gt(0))
            .order(stock_alerts::id)
            .limit(BATCH)
            .select(columns)
            .load::<(i64, ProductId, Option<VariantId>, String, String)>(conn)?,
    );
    let mut queued = 0;
    for (id, product_id, variant_id, email, locale) in due {
        queued += conn.write_tx(|c| -> AppResult<usize> {
            let claimed = diesel::update(
                stock_alerts::table
                    .find(id)
                    .filter(stock_alerts::notified_at.is_null()),
            )
            .set(stock_alerts::notified_at.eq(Some(now())))
            .execute(c)?;
            if claimed == 0 {
                return Ok(0);
            }
            let lang = Lang::parse(&locale).unwrap_or_default();
            let product = AlertProduct::load(c, product_id, variant_id, lang)?;
            let mail = shop
                .mail
                .render(
                    EmailKind::StockAlert,
                    &email,
                    lang,
                    &BackEmail {
                        shop_name: &shop.settings().shop_name,
                        link: shop.absolute(&product.path()),
                        product: &product,
                    },
                )
                .map_err(|e| AppError::Mail(e.to_string()))?;
            outbox::enqueue(c, &mail, None)?;
            Ok(1)
        })?;
    }
    Ok(queued)
}

/// Confirmed alerts waiting for `product_id` to come back.
pub fn waiting_for(c: &mut DbConn, product_id: ProductId) -> QueryResult<i64> {
    stock_alerts::table
        .filter(stock_alerts::product_id.eq(product_id))
        .filter(is_waiting())
        .count()
        .get_result(c)
}

/// Deletes visitors' alerts never confirmed within [`CONFIRM_DAYS`] (housekeeping).
pub fn purge_unconfirmed(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(
        stock_alerts::table
            .filter(stock_alerts::confirmed_at.is_null())
            .filter(stock_alerts::created_at.lt(now() - Duration::days(CONFIRM_DAYS))),
    )
    .execute(conn)
}

/// The demand for one product, as the back-office lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Demand {
    pub product: AlertProduct,
    /// Confirmed and not sent yet.
    pub waiting: i64,
    /// Visitors who have not opened their link yet.
    pub unconfirmed: i64,
    /// Sent since the shop began.
    pub notified: i64,
    pub last_asked: NaiveDateTime,
}

/// Every product someone asked about, most awaited first (four queries whatever the count).
pub fn demand(conn: &mut DbConn, lang: Lang) -> QueryResult<Vec<Demand>> {
    let per_product = stock_alerts::table
        .group_by(stock_alerts::product_id)
        .select((stock_alerts::product_id, count_star()));
    let waiting: Vec<(ProductId, i64)> = per_product.filter(is_waiting()).load(conn)?;
    let unconfirmed: Vec<(ProductId, i64)> = per_product
        .filter(stock_alerts::confirmed_at.is_null())
        .load(conn)?;
    let notified: Vec<(ProductId, i64)> = per_product
        .filter(stock_alerts::notified_at.is_not_null())
        .load(conn)?;
    let last: Vec<(ProductId, Option<NaiveDateTime>)> = stock_alerts::table
        .group_by(stock_alerts::product_id)
        .select((
            stock_alerts::product_id,
            diesel::dsl::max(stock_alerts::created_at),
        ))
        .load(conn)?;
    let ids: Vec<ProductId> = last.iter().map(|r| r.0).collect();
    let rows: Vec<ProductRow> = products::table
        .filter(products::id.eq_any(&ids))
        .select(ProductRow::as_select())
        .load(conn)?;
    let waiting: HashMap<ProductId, i64> = waiting.into_iter().collect();
    let unconfirmed: HashMap<ProductId, i64> = unconfirmed.into_iter().collect();
    let notified: HashMap<ProductId, i64> = notified.into_iter().collect();
    let last: HashMap<ProductId, Option<NaiveDateTime>> = last.into_iter().collect();
    let count = |map: &HashMap<ProductId, i64>, id: ProductId| map.get(&id).copied().unwrap_or(0);
    let mut out: Vec<Demand> = rows
        .into_iter()
        .map(|row| {
            let id = row.id;
            Demand {
                product: AlertProduct::from_row(row, lang),
                waiting: count(&waiting, id),
                unconfirmed: count(&unconfirmed, id),
                notified: count(&notified, id),
                last_asked: last.get(&id).copied().flatten().unwrap_or_default(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (b.waiting, b.unconfirmed, b.last_asked).cmp(&(a.waiting, a.unconfirmed, a.last_asked))
    });
    Ok(out)
}
