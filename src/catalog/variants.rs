//! Variants: a product's options (size, colour…) and the variants that combine them, each with
//! its SKU, an optional price and weight of its own, its own stock and pictures, on sale or not.
//! A product without options has one default variant (no option values) holding its stock.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::catalog::stock::{self, Moved};
use crate::db::now;
use crate::db::schema::{product_variants, products};
use crate::db::{is_unique_violation, DbConn};
use crate::ids::{ProductId, UserId, VariantId};
use crate::money::Money;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = product_variants)]
pub struct Variant {
    pub id: VariantId,
    pub product_id: ProductId,
    pub sku: String,
    pub option1: String,
    pub option2: String,
    /// Its own price, tax included (none: the product's).
    pub price_cents: Option<Money>,
    /// Its own weight in grams (none: the product's).
    pub weight_grams: Option<i32>,
    pub stock: i32,
    pub active: bool,
    pub position: i32,
    /// Its own GTIN (checked, `catalog::gtin`); empty: the product's.
    pub gtin: String,
}

impl Variant {
    /// Its option values as customers read them: "M / Bleu"; empty for a default variant.
    pub fn label(&self) -> String {
        label_of(&self.option1, &self.option2)
    }

    pub fn price(&self, product_price_cents: Money) -> Money {
        self.price_cents.unwrap_or(product_price_cents)
    }

    pub fn weight(&self, product_weight_grams: i32) -> i32 {
        self.weight_grams.unwrap_or(product_weight_grams)
    }
}

/// "M / Bleu", "M", or "" from a variant's two option values.
pub fn label_of(option1: &str, option2: &str) -> String {
    match (option1.is_empty(), option2.is_empty()) {
        (true, true) => String::new(),
        (false, true) => option1.to_string(),
        (true, false) => option2.to_string(),
        (false, false) => format!("{option1} / {option2}"),
    }
}

/// A product's variants, in the order the shop set.
pub fn of_product(conn: &mut DbConn, product_id: ProductId) -> QueryResult<Vec<Variant>> {
    product_variants::table
        .filter(product_variants::product_id.eq(product_id))
        .order((product_variants::position, product_variants::id))
        .select(Variant::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConn, id: VariantId) -> QueryResult<Variant> {
    product_variants::table
        .find(id)
        .select(Variant::as_select())
        .first(conn)
}

/// Heaviest a product or variant may weigh, in grams: more is a typing slip (parcels stop at
/// 30 kg).
pub const MAX_WEIGHT_GRAMS: i32 = 100_000;

/// A weight as typed in grams: `Some(None)` when empty, `Some(Some(grams))` for a whole
/// number within reason, `None` for anything else.
pub fn parse_weight(typed: &str) -> Option<Option<i32>> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Some(None);
    }
    typed
        .parse::<i32>()
        .ok()
        .filter(|g| (0..=MAX_WEIGHT_GRAMS).contains(g))
        .map(Some)
}

/// A variant's fields as the back-office edits them (stock moves through adjustments).
#[derive(Debug, Clone, Serialize)]
pub struct VariantData {
    pub sku: String,
    pub option1: String,
    pub option2: String,
    pub price_cents: Option<Money>,
    pub weight_grams: Option<i32>,
    pub position: i32,
    pub gtin: String,
}

#[derive(Debug, thiserror::Error)]
pub enum VariantError {
    #[error("this SKU is already used")]
    SkuTaken,
    #[error("another variant has these options")]
    OptionsTaken,
    #[error(transparent)]
    Stock(#[from] stock::StockError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Refuses a SKU another variant has, or option values another variant of the product has,
/// before writing: on PostgreSQL a failed write would end the transaction.
fn check_unique(
    c: &mut DbConn,
    product_id: ProductId,
    data: &VariantData,
    except: Option<VariantId>,
) -> Result<(), VariantError> {
    let others = || {
        let q = product_variants::table
            .select(product_variants::id)
            .into_boxed();
        match except {
            Some(id) => q.filter(product_variants::id.ne(id)),
            None => q,
        }
    };
    if others()
        .filter(product_variants::sku.eq(&data.sku))
        .first::<VariantId>(c)
        .optional()?
        .is_some()
    {
        return Err(VariantError::SkuTaken);
    }
    if others()
        .filter(product_variants::product_id.eq(product_id))
        .filter(product_variants::option1.eq(&data.option1))
        .filter(product_variants::option2.eq(&data.option2))
        .first::<VariantId>(c)
        .optional()?
        .is_some()
    {
        return Err(VariantError::OptionsTaken);
    }
    Ok(())
}

/// A unique rule broken by a concurrent write since [`check_unique`].
fn taken(e: diesel::result::Error) -> VariantError {
    if is_unique_violation(&e) {
        VariantError::SkuTaken
    } else {
        VariantError::Db(e)
    }
}

/// A new product's default variant, holding its first stock (the caller records the movement
/// if it wants one). Its SKU is the product's slug in capitals, made unique with the
/// product's id if taken.
pub fn create_default(
    c: &mut DbConn,
    product_id: ProductId,
    slug: &str,
    first_stock: i32,
    at: NaiveDateTime,
) -> QueryResult<Moved> {
    let mut sku = slug.to_uppercase();
    let used: i64 = product_variants::table
        .filter(product_variants::sku.eq(&sku))
        .count()
        .get_result(c)?;
    if used > 0 {
        sku = format!("{sku}-{product_id}");
    }
    let id = diesel::insert_into(product_variants::table)
        .values((
            product_variants::product_id.eq(product_id),
            product_variants::sku.eq(&sku),
            product_variants::stock.eq(first_stock),
            product_variants::active.eq(true),
            product_variants::position.eq(0),
            product_variants::created_at.eq(at),
            product_variants::updated_at.eq(at),
        ))
        .returning(product_variants::id)
        .get_result(c)?;
    Ok(Moved {
        variant_id: id,
        product_id,
        quantity: first_stock,
        left: first_stock,
    })
}

/// Adds a variant to a product, on sale, with its first stock.
pub fn add(
    conn: &mut DbConn,
    product_id: ProductId,
    data: &VariantData,
    first_stock: i32,
    actor: UserId,
) -> Result<VariantId, VariantError> {
    conn.write_tx(|c| add_in(c, product_id, data, first_stock, actor))
}

/// [`add`] inside the caller's transaction.
pub fn add_in(
    c: &mut DbConn,
    product_id: ProductId,
    data: &VariantData,
    first_stock: i32,
    actor: UserId,
) -> Result<VariantId, VariantError> {
    {
        // The product must exist (a 404 otherwise).
        products::table
            .find(product_id)
            .select(products::id)
            .first::<ProductId>(c)?;
        check_unique(c, product_id, data, None)?;
        let at = now();
        let id: VariantId = diesel::insert_into(product_variants::table)
            .values((
                product_variants::product_id.eq(product_id),
                product_variants::sku.eq(&data.sku),
                product_variants::option1.eq(&data.option1),
                product_variants::option2.eq(&data.option2),
                product_variants::price_cents.eq(data.price_cents),
                product_variants::weight_grams.eq(data.weight_grams),
                product_variants::gtin.eq(&data.gtin),
                product_variants::stock.eq(0),
                product_variants::active.eq(true),
                product_variants::position.eq(data.position),
                product_variants::created_at.eq(at),
                product_variants::updated_at.eq(at),
            ))
            .returning(product_variants::id)
            .get_result(c)
            .map_err(taken)?;
        audit::Change::new(Some(actor), "variant.create", "product")
            .on(product_id)
            .after(data)
            .record(c)?;
        if first_stock > 0 {
            stock::adjust_in(c, id, first_stock, stock::REASON_INITIAL, actor)?;
        }
        Ok(id)
    }
}

/// Changes a variant's SKU, options, price, weight or place.
pub fn update(
    conn: &mut DbConn,
    id: VariantId,
    data: &VariantData,
    actor: UserId,
) -> Result<(), VariantError> {
    conn.write_tx(|c| update_in(c, id, data, actor))
}

/// [`update`] inside the caller's transaction.
pub fn update_in(
    c: &mut DbConn,
    id: VariantId,
    data: &VariantData,
    actor: UserId,
) -> Result<(), VariantError> {
    {
        let before = find(c, id)?;
        check_unique(c, before.product_id, data, Some(id))?;
        diesel::update(product_variants::table.find(id))
            .set((
                product_variants::sku.eq(&data.sku),
                product_variants::option1.eq(&data.option1),
                product_variants::option2.eq(&data.option2),
                product_variants::price_cents.eq(data.price_cents),
                product_variants::weight_grams.eq(data.weight_grams),
                product_variants::position.eq(data.position),
                product_variants::gtin.eq(&data.gtin),
                product_variants::updated_at.eq(now()),
            ))
            .execute(c)
            .map_err(taken)?;
        audit::Change::new(Some(actor), "variant.update", "product")
            .on(before.product_id)
            .before(&before)
            .after(data)
            .record(c)?;
        Ok(())
    }
}

/// Puts a variant on sale or takes it off (its stock stays; the product's total follows).
/// Returns its product's id.
pub fn set_active(
    conn: &mut DbConn,
    id: VariantId,
    active: bool,
    actor: UserId,
) -> QueryResult<ProductId> {
    conn.write_tx(|c| {
        let v = find(c, id)?;
        if stock::set_variant_active(c, id, active)? {
            let action = if active {
                "variant.activate"
            } else {
                "variant.deactivate"
            };
            audit::Change::new(Some(actor), action, "product")
                .on(v.product_id)
                .before(&serde_json::json!({ "sku": v.sku, "active": v.active }))
                .after(&serde_json::json!({ "sku": v.sku, "active": active }))
                .record(c)?;
        }
        Ok(v.product_id)
    })
}

/// Sells a product without options in variants of one option, named in French and English
/// (the demo's apron in sizes):
/// its default variant becomes the first value, the others are added, each with its stock
/// (no movement recorded, as for the demo's first stock). Returns the variants' ids.
pub fn give_options(
    c: &mut DbConn,
    product_id: ProductId,
    (option_name, option_name_en): (&str, &str),
    values: &[(&str, i32)],
) -> QueryResult<Vec<VariantId>> {
    let at = now();
    let default = resolve(c, product_id, None).map_err(|e| match e {
        stock::StockError::Db(e) => e,
        _ => diesel::result::Error::NotFound,
    })?;
    let sku: String = find(c, default)?.sku;
    let mut ids = Vec::with_capacity(values.len());
    for (i, (value, stock)) in values.iter().enumerate() {
        let variant_sku = format!("{sku}-{}", crate::text::slugify(value).to_uppercase());
        let id = if i == 0 {
            diesel::update(product_variants::table.find(default))
                .set((
                    product_variants::sku.eq(&variant_sku),
                    product_variants::option1.eq(*value),
                    product_variants::stock.eq(*stock),
                    product_variants::updated_at.eq(at),
                ))
                .execute(c)?;
            default
        } else {
            diesel::insert_into(product_variants::table)
                .values((
                    product_variants::product_id.eq(product_id),
                    product_variants::sku.eq(&variant_sku),
                    product_variants::option1.eq(*value),
                    product_variants::stock.eq(*stock),
                    product_variants::active.eq(true),
                    product_variants::position.eq(i as i32),
                    product_variants::created_at.eq(at),
                    product_variants::updated_at.eq(at),
                ))
                .returning(product_variants::id)
                .get_result(c)?
        };
        ids.push(id);
    }
    diesel::update(products::table.find(product_id))
        .set((
            products::option1_name.eq(option_name),
            products::option1_name_en.eq(option_name_en),
            products::stock.eq(values.iter().map(|v| v.1).sum::<i32>()),
        ))
        .execute(c)?;
    Ok(ids)
}

/// The variant named for a product (a 404 if it is another product's), or, none named, the
/// product's only variant.
pub fn resolve(
    c: &mut DbConn,
    product_id: ProductId,
    variant_id: Option<VariantId>,
) -> Result<VariantId, stock::StockError> {
    let mut q = product_variants::table
        .filter(product_variants::product_id.eq(product_id))
        .select(product_variants::id)
        .into_boxed();
    if let Some(id) = variant_id {
        q = q.filter(product_variants::id.eq(id));
    }
    match q.limit(2).load::<VariantId>(c)?.as_slice() {
        [only] => Ok(*only),
        [] => Err(diesel::result::Error::NotFound.into()),
        _ => Err(stock::StockError::ChooseVariant),
    }
}

/// Adjusts the stock of a product's variant (see [`resolve`]) with a reason.
pub fn adjust(
    conn: &mut DbConn,
    product_id: ProductId,
    variant_id: Option<VariantId>,
    delta: i32,
    reason: &str,
    actor: UserId,
) -> Result<i32, stock::StockError> {
    conn.write_tx(|c| {
        let id = resolve(c, product_id, variant_id)?;
        stock::adjust_in(c, id, delta, reason, actor)
    })
}

/// The variant a product page shows: the one asked for if it is on sale, else the first on
/// sale with stock, else the first on sale, else the first.
pub fn chosen(variants: &[Variant], asked: Option<VariantId>) -> Option<&Variant> {
    let on_sale = || variants.iter().filter(|v| v.active);
    asked
        .and_then(|id| on_sale().find(|v| v.id == id))
        .or_else(|| on_sale().find(|v| v.stock > 0))
        .or_else(|| on_sale().next())
        .or_else(|| variants.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: i64, active: bool, stock: i32) -> Variant {
        Variant {
            id: VariantId(id),
            product_id: ProductId(1),
            sku: format!("S{id}"),
            option1: format!("O{id}"),
            option2: String::new(),
            price_cents: None,
            weight_grams: None,
            stock,
            active,
            position: 0,
            gtin: String::new(),
        }
    }

    #[test]
    fn labels_join_the_values_that_are_set() {
        assert_eq!(label_of("M", "Bleu"), "M / Bleu");
        assert_eq!(label_of("M", ""), "M");
        assert_eq!(label_of("", ""), "");
    }

    #[test]
    fn the_page_shows_the_variant_asked_for_if_on_sale_else_one_in_stock() {
        let all = [v(1, true, 0), v(2, false, 5), v(3, true, 4)];
        assert_eq!(
            chosen(&all, Some(VariantId(1))).map(|v| v.id),
            Some(VariantId(1))
        );
        assert_eq!(
            chosen(&all, Some(VariantId(2))).map(|v| v.id),
            Some(VariantId(3))
        );
        assert_eq!(chosen(&all, None).map(|v| v.id), Some(VariantId(3)));
        assert_eq!(
            chosen(&all, Some(VariantId(99))).map(|v| v.id),
            Some(VariantId(3))
        );
        let sold_out = [v(1, true, 0), v(2, true, 0)];
        assert_eq!(chosen(&sold_out, None).map(|v| v.id), Some(VariantId(1)));
        assert!(chosen(&[], None).is_none());
    }
}
