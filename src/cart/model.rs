//! All Diesel code for `carts` and `cart_lines`.

use diesel::prelude::*;
use serde::Serialize;

use crate::auth::hash_token;
use crate::db::now;
use crate::db::schema::{cart_lines, carts, product_variants, products};
use crate::db::{is_unique_violation, DbConn};
use crate::discounts::model::{self as discounts, Customer};
use crate::discounts::rules::{Applied, Line, Refusal};
use crate::ids::{CartId, CategoryId, ProductId, UserId, VariantId};
use crate::money::Money;
use crate::totals::{discounted, totals, Totals};

pub use crate::catalog::model::MAX_QUANTITY;

/// Whose cart: a customer's, or an anonymous visitor's (by the hash of their cookie token).
#[derive(Debug, Clone)]
pub enum CartOwner {
    User(UserId),
    Anon(String),
}

impl CartOwner {
    pub fn anonymous(cookie_token: &str) -> CartOwner {
        CartOwner::Anon(hash_token(cookie_token))
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CartLine {
    pub product_id: ProductId,
    pub variant_id: VariantId,
    pub sku: String,
    /// The variant's option values ("M / Bleu"); empty for a product without options.
    pub variant: String,
    pub slug: String,
    /// In the visitor's language once [`Cart::localize`] has run (orders copy the French).
    pub name: String,
    #[serde(skip)]
    pub name_en: String,
    pub unit_price_cents: Money,
    /// The sale its price comes from, if any (its reference price is shown crossed out).
    pub sale: Option<crate::catalog::sales::OnSale>,
    pub vat_rate_bp: i32,
    pub quantity: i32,
    /// The variant's stock.
    pub stock: i32,
    /// Whether the variant and its product are on sale.
    pub active: bool,
    /// For discount codes that apply to one department.
    #[serde(skip)]
    pub category_id: Option<CategoryId>,
    /// One unit's weight in grams (the variant's, else the product's), for shipping.
    #[serde(skip)]
    pub weight_grams: i32,
    /// An alcoholic beverage: the order asks the buyer's age (code de la santé publique
    /// art. L3342-1).
    pub alcoholic: bool,
}

/// A cart line as read: the variant's own price and weight, if any, win over the product's.
#[derive(Queryable)]
struct LineRow {
    product_id: ProductId,
    variant_id: VariantId,
    sku: String,
    option1: String,
    option2: String,
    slug: String,
    name: String,
    name_en: String,
    product_price_cents: Money,
    variant_price_cents: Option<Money>,
    vat_rate_bp: i32,
    quantity: i32,
    stock: i32,
    product_active: bool,
    variant_active: bool,
    category_id: Option<CategoryId>,
    product_weight_grams: i32,
    variant_weight_grams: Option<i32>,
    alcoholic: bool,
}

impl From<LineRow> for CartLine {
    fn from(r: LineRow) -> CartLine {
        CartLine {
            product_id: r.product_id,
            variant_id: r.variant_id,
            variant: crate::catalog::variants::label_of(&r.option1, &r.option2),
            sku: r.sku,
            slug: r.slug,
            name: r.name,
            name_en: r.name_en,
            unit_price_cents: r.variant_price_cents.unwrap_or(r.product_price_cents),
            sale: None,
            vat_rate_bp: r.vat_rate_bp,
            quantity: r.quantity,
            stock: r.stock,
            active: r.product_active && r.variant_active,
            category_id: r.category_id,
            weight_grams: r.variant_weight_grams.unwrap_or(r.product_weight_grams),
            alcoholic: r.alcoholic,
        }
    }
}

impl CartLine {
    pub fn total_cents(&self) -> Money {
        self.unit_price_cents * i64::from(self.quantity)
    }

    /// Whether the shop can still supply this line as it stands.
    pub fn available(&self) -> bool {
        self.active && self.stock >= self.quantity
    }
}

#[derive(Debug, Serialize)]
pub struct LineView {
    #[serde(flatten)]
    pub line: CartLine,
    pub total_cents: Money,
    pub available: bool,
}

#[derive(Debug, Serialize)]
pub struct Cart {
    pub id: Option<CartId>,
    pub lines: Vec<LineView>,
    pub count: i64,
    /// Goods only (less a discount code's share once priced): shipping is chosen at checkout.
    pub totals: Totals,
    /// The discount code the visitor entered, if any.
    pub discount_code: Option<String>,
    /// What that code gives this basket, or why it does not apply (set by [`price`]).
    #[serde(skip)]
    pub discount: Option<Result<Applied, Refusal>>,
    /// The name of the code or automatic promotion that applies, as the totals show it.
    pub discount_label: Option<String>,
    /// The message key of a code that does not apply, and the minimum basket it asks for.
    pub discount_refusal: Option<&'static str>,
    pub discount_minimum_cents: Money,
}

impl Cart {
    /// The products' names in the visitor's language (French where English is missing).
    pub fn localize(&mut self, lang: crate::i18n::Lang) {
        if lang == crate::i18n::Lang::En {
            for l in &mut self.lines {
                l.line.name = crate::text::english_or(&l.line.name_en, &l.line.name).to_string();
            }
        }
    }

    pub fn from_lines(id: Option<CartId>, lines: Vec<CartLine>) -> Cart {
        Cart {
            id,
            discount_code: None,
            discount: None,
            discount_label: None,
            discount_refusal: None,
            discount_minimum_cents: Money::ZERO,
            count: lines.iter().map(|l| i64::from(l.quantity)).sum(),
            totals: totals(
                lines.iter().map(|l| (l.vat_rate_bp, l.total_cents())),
                Money::ZERO,
            ),
            lines: lines
                .into_iter()
                .map(|line| LineView {
                    total_cents: line.total_cents(),
                    available: line.available(),
                    line,
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Whether it holds an alcoholic beverage (the buyer then declares being of age).
    pub fn holds_alcohol(&self) -> bool {
        self.lines.iter().any(|l| l.line.alcoholic)
    }

    /// The parcel's weight in grams: each unit at its variant's weight.
    pub fn weight_grams(&self) -> i64 {
        self.lines
            .iter()
            .map(|l| i64::from(l.line.weight_grams) * i64::from(l.line.quantity))
            .sum()
    }

    /// The lines as the discount rules read them.
    pub fn discount_lines(&self) -> Vec<Line> {
        self.lines
            .iter()
            .map(|l| Line {
                product_id: l.line.product_id,
                category_id: l.line.category_id,
                total_cents: l.total_cents,
            })
            .collect()
    }

    /// What the discount code gives this basket, when it applies.
    pub fn applied(&self) -> Option<&Applied> {
        self.discount.as_ref().and_then(|d| d.as_ref().ok())
    }

    /// Records what the code gives (or why it does not apply) and prices the goods with it.
    pub fn set_discount(&mut self, discount: Option<Result<Applied, Refusal>>) {
        self.discount_refusal = None;
        self.discount_minimum_cents = Money::ZERO;
        self.discount_label = match &discount {
            Some(Ok(applied)) => Some(applied.code.clone()),
            _ => None,
        };
        if let Some(Err(refusal)) = &discount {
            self.discount_refusal = Some(refusal.key());
            if let Refusal::Minimum(cents) = refusal {
                self.discount_minimum_cents = *cents;
            }
        }
        self.discount = discount;
        self.totals = self.totals(Money::ZERO);
    }

    /// What the basket comes to with this shipping price (the checkout's review), less what
    /// its discount code gives.
    pub fn totals(&self, shipping_cents: Money) -> Totals {
        let applied = self.applied();
        let shipping_cents = if applied.is_some_and(|a| a.free_shipping) {
            Money::ZERO
        } else {
            shipping_cents
        };
        discounted(
            self.lines.iter().enumerate().map(|(i, l)| {
                let share = applied.and_then(|a| a.per_line.get(i)).copied();
                (
                    l.line.vat_rate_bp,
                    l.total_cents,
                    share.unwrap_or(Money::ZERO),
                )
            }),
            shipping_cents,
        )
    }
}

/// Prices `cart` with the code it carries, or else the best automatic promotion.
pub fn price(c: &mut DbConn, cart: &mut Cart, customer: &Customer) -> QueryResult<()> {
    let lines = cart.discount_lines();
    let discount = match cart.discount_code.clone() {
        _ if cart.is_empty() => None,
        Some(code) => Some(discounts::evaluate(c, &code, &lines, customer)?),
        None => discounts::best_automatic(c, &lines, customer)?.map(Ok),
    };
    cart.set_discount(discount);
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum CartError {
    #[error("no such product")]
    UnknownProduct,
    /// A product with options was added without saying which variant.
    #[error("choose one of the product's options")]
    ChooseVariant,
    #[error("not enough stock for {name}: {available} left")]
    NotEnoughStock { name: String, available: i32 },
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

fn find_id(conn: &mut DbConn, owner: &CartOwner) -> QueryResult<Option<CartId>> {
    let q = carts::table.select(carts::id).into_boxed();
    let q = match owner {
        CartOwner::User(id) => q.filter(carts::user_id.eq(*id)),
        CartOwner::Anon(hash) => q.filter(carts::anon_token_hash.eq(hash.clone())),
    };
    q.first(conn).optional()
}

fn ensure(conn: &mut DbConn, owner: &CartOwner) -> QueryResult<CartId> {
    if let Some(id) = find_id(conn, owner)? {
        return Ok(id);
    }
    let (user_id, anon) = match owner {
        CartOwner::User(id) => (Some(*id), None),
        CartOwner::Anon(hash) => (None, Some(hash.clone())),
    };
    let now = now();
    let inserted = diesel::insert_into(carts::table)
        .values((
            carts::user_id.eq(user_id),
            carts::anon_token_hash.eq(anon),
            carts::created_at.eq(now),
            carts::updated_at.eq(now),
        ))
        .returning(carts::id)
        .get_result(conn);
    match inserted {
        Err(e) if is_unique_violation(&e) => find_id(conn, owner)?.ok_or(e),
        other => other,
    }
}

fn lines_of(conn: &mut DbConn, cart_id: CartId) -> QueryResult<Vec<CartLine>> {
    let rows: Vec<LineRow> = cart_lines::table
        .inner_join(product_variants::table.on(product_variants::id.eq(cart_lines::variant_id)))
        .inner_join(products::table.on(products::id.eq(cart_lines::product_id)))
        .filter(cart_lines::cart_id.eq(cart_id))
        .order(cart_lines::id)
        .select((
            products::id,
            product_variants::id,
            product_variants::sku,
            product_variants::option1,
            product_variants::option2,
            products::slug,
            products::name,
            products::name_en,
            products::price_cents,
            product_variants::price_cents,
            products::vat_rate_bp,
            cart_lines::quantity,
            product_variants::stock,
            products::active,
            product_variants::active,
            products::category_id,
            products::weight_grams,
            product_variants::weight_grams,
            products::alcoholic,
        ))
        .load(conn)?;
    // A sale lowers the product's price, not a variant's own.
    let on_sale: Vec<ProductId> = rows
        .iter()
        .filter(|r| r.variant_price_cents.is_none())
        .map(|r| r.product_id)
        .collect();
    let sales = crate::catalog::sales::live(conn, &on_sale, crate::db::now())?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let sale = sales
                .get(&r.product_id)
                .copied()
                .filter(|_| r.variant_price_cents.is_none());
            let mut line = CartLine::from(r);
            if let Some(sale) = sale {
                line.unit_price_cents = sale.charge(line.unit_price_cents);
                line.sale = Some(sale);
            }
            line
        })
        .collect())
}

pub fn load(conn: &mut DbConn, owner: &CartOwner) -> QueryResult<Cart> {
    let q = carts::table
        .select((carts::id, carts::discount_code))
        .into_boxed();
    let q = match owner {
        CartOwner::User(id) => q.filter(carts::user_id.eq(*id)),
        CartOwner::Anon(hash) => q.filter(carts::anon_token_hash.eq(hash.clone())),
    };
    match q.first::<(CartId, Option<String>)>(conn).optional()? {
        Some((id, code)) => {
            let mut cart = Cart::from_lines(Some(id), lines_of(conn, id)?);
            cart.discount_code = code;
            Ok(cart)
        }
        None => Ok(Cart::from_lines(None, Vec::new())),
    }
}

/// Keeps a discount code on the visitor's cart (none removes it); false when there is no cart.
pub fn set_discount_code(
    conn: &mut DbConn,
    owner: &CartOwner,
    code: Option<&str>,
) -> QueryResult<bool> {
    let Some(id) = find_id(conn, owner)? else {
        return Ok(false);
    };
    diesel::update(carts::table.find(id))
        .set((carts::discount_code.eq(code), carts::updated_at.eq(now())))
        .execute(conn)?;
    Ok(true)
}

/// Units in the cart, for the header: one query.
pub fn count(conn: &mut DbConn, owner: &CartOwner) -> QueryResult<i64> {
    match owner {
        CartOwner::User(id) => crate::cart::count::of_user(conn, *id),
        CartOwner::Anon(hash) => crate::cart::count::of_anonymous(conn, hash),
    }
}

/// What a cart form names: a variant, or a product alone.
#[derive(Debug, Clone, Copy)]
pub struct Pick {
    pub product_id: Option<ProductId>,
    pub variant_id: Option<VariantId>,
}

/// The variant a form names: the one given, or, for a product named alone, its only variant
/// on sale (a product with options needs its variant named).
fn variant_of(conn: &mut DbConn, pick: Pick) -> Result<VariantId, CartError> {
    if let Some(v) = pick.variant_id {
        return Ok(v);
    }
    let product_id = pick.product_id.ok_or(CartError::UnknownProduct)?;
    let on_sale: Vec<VariantId> = product_variants::table
        .filter(product_variants::product_id.eq(product_id))
        .filter(product_variants::active.eq(true))
        .select(product_variants::id)
        .limit(2)
        .load(conn)?;
    match on_sale.as_slice() {
        [only] => Ok(*only),
        [] => Err(CartError::UnknownProduct),
        _ => Err(CartError::ChooseVariant),
    }
}

/// `(product, name as the customer reads it, stock)` of a variant on sale.
fn variant_for_cart(
    conn: &mut DbConn,
    variant_id: VariantId,
) -> Result<(i64, String, i32), CartError> {
    let row: Option<(i64, String, String, String, i32)> = product_variants::table
        .inner_join(products::table)
        .filter(product_variants::id.eq(variant_id))
        .filter(product_variants::active.eq(true))
        .filter(products::active.eq(true))
        .select((
            products::id,
            products::name,
            product_variants::option1,
            product_variants::option2,
            product_variants::stock,
        ))
        .first(conn)
        .optional()?;
    let (product_id, name, o1, o2, stock) = row.ok_or(CartError::UnknownProduct)?;
    let label = crate::catalog::variants::label_of(&o1, &o2);
    let name = if label.is_empty() {
        name
    } else {
        format!("{name} ({label})")
    };
    Ok((product_id, name, stock))
}

fn current_quantity(
    conn: &mut DbConn,
    cart_id: CartId,
    variant_id: VariantId,
) -> QueryResult<Option<i32>> {
    cart_lines::table
        .filter(cart_lines::cart_id.eq(cart_id))
        .filter(cart_lines::variant_id.eq(variant_id))
        .select(cart_lines::quantity)
        .first(conn)
        .optional()
}

/// Sets a line to exactly `quantity` units (0 removes it), checked against the stock.
fn put(
    conn: &mut DbConn,
    cart_id: CartId,
    variant_id: VariantId,
    quantity: i32,
) -> Result<(), CartError> {
    if quantity <= 0 {
        diesel::delete(
            cart_lines::table
                .filter(cart_lines::cart_id.eq(cart_id))
                .filter(cart_lines::variant_id.eq(variant_id)),
        )
        .execute(conn)?;
        return Ok(());
    }
    let (product_id, name, stock) = variant_for_cart(conn, variant_id)?;
    if quantity > stock {
        return Err(CartError::NotEnoughStock {
            name,
            available: stock,
        });
    }
    let quantity = quantity.min(MAX_QUANTITY);
    let updated = diesel::update(
        cart_lines::table
            .filter(cart_lines::cart_id.eq(cart_id))
            .filter(cart_lines::variant_id.eq(variant_id)),
    )
    .set(cart_lines::quantity.eq(quantity))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(cart_lines::table)
            .values((
                cart_lines::cart_id.eq(cart_id),
                cart_lines::product_id.eq(product_id),
                cart_lines::variant_id.eq(variant_id),
                cart_lines::quantity.eq(quantity),
                cart_lines::added_at.eq(now()),
            ))
            .execute(conn)?;
    }
    diesel::update(carts::table.find(cart_id))
        .set(carts::updated_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

pub fn add(
    conn: &mut DbConn,
    owner: &CartOwner,
    pick: Pick,
    quantity: i32,
) -> Result<(), CartError> {
    conn.write_tx(|c| {
        let variant_id = variant_of(c, pick)?;
        variant_for_cart(c, variant_id)?;
        let cart_id = ensure(c, owner)?;
        let have = current_quantity(c, cart_id, variant_id)?.unwrap_or(0);
        put(c, cart_id, variant_id, have.saturating_add(quantity.max(1)))
    })
}

pub fn set_quantity(
    conn: &mut DbConn,
    owner: &CartOwner,
    pick: Pick,
    quantity: i32,
) -> Result<(), CartError> {
    conn.write_tx(|c| match find_id(c, owner)? {
        Some(cart_id) => {
            let variant_id = variant_of(c, pick)?;
            put(c, cart_id, variant_id, quantity)
        }
        None => Ok(()),
    })
}

pub fn remove(conn: &mut DbConn, owner: &CartOwner, pick: Pick) -> Result<(), CartError> {
    set_quantity(conn, owner, pick, 0)
}

/// Empties a cart once its order is placed (its discount code goes with its lines).
pub fn clear(conn: &mut DbConn, cart_id: CartId) -> QueryResult<usize> {
    diesel::update(carts::table.find(cart_id))
        .set(carts::discount_code.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(cart_lines::table.filter(cart_lines::cart_id.eq(cart_id))).execute(conn)
}

/// On login: the anonymous cart becomes the customer's, or its lines join the customer's
/// (quantities added, capped by the stock). Call inside the login transaction.
pub fn merge_into_user(conn: &mut DbConn, anon_token: &str, user_id: UserId) -> QueryResult<()> {
    let anon = CartOwner::anonymous(anon_token);
    let Some(anon_id) = find_id(conn, &anon)? else {
        return Ok(());
    };
    let Some(user_cart) = find_id(conn, &CartOwner::User(user_id))? else {
        diesel::update(carts::table.find(anon_id))
            .set((
                carts::user_id.eq(Some(user_id)),
                carts::anon_token_hash.eq(None::<String>),
                carts::updated_at.eq(now()),
            ))
            .execute(conn)?;
        return Ok(());
    };
    for line in lines_of(conn, anon_id)? {
        let have = current_quantity(conn, user_cart, line.variant_id)?.unwrap_or(0);
        let wanted = (have + line.quantity).min(line.stock).min(MAX_QUANTITY);
        match put(conn, user_cart, line.variant_id, wanted.max(have)) {
            Ok(())
            | Err(CartError::UnknownProduct)
            | Err(CartError::ChooseVariant)
            | Err(CartError::NotEnoughStock { .. }) => {}
            Err(CartError::Db(e)) => return Err(e),
        }
    }
    diesel::delete(carts::table.find(anon_id)).execute(conn)?;
    Ok(())
}
