//! Back-office writes to the catalogue: products, stock adjustments with their history,
//! categories. Every change is audited in the transaction that makes it.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::catalog::model::{NewProduct, Product, ProductChanges};
use crate::db::now;
use crate::db::schema::{categories, products};
use crate::db::{is_unique_violation, DbConn};
use crate::ids::{CategoryId, ProductId, UserId};
use crate::money::Money;

/// What the back-office product list can be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    pub text: Option<String>,
    pub category_id: Option<CategoryId>,
    pub active: Option<bool>,
    pub low_stock: Option<i32>,
    pub sort: ProductSort,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProductSort {
    #[default]
    Name,
    PriceAsc,
    PriceDesc,
    StockAsc,
    Newest,
}

impl ProductSort {
    pub fn parse(s: &str) -> ProductSort {
        match s {
            "price" => ProductSort::PriceAsc,
            "-price" => ProductSort::PriceDesc,
            "stock" => ProductSort::StockAsc,
            "new" => ProductSort::Newest,
            _ => ProductSort::Name,
        }
    }
}

pub fn list(
    conn: &mut DbConn,
    f: &ProductFilter,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<Product>, i64)> {
    let filtered = || {
        let mut q = products::table.into_boxed();
        if let Some(text) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
            q = q.filter(
                products::search_text
                    .like(crate::text::contains_pattern(text))
                    .escape('\\')
                    .or(products::slug.eq(text.trim().to_string())),
            );
        }
        if let Some(c) = f.category_id {
            q = q.filter(products::category_id.eq(c));
        }
        if let Some(a) = f.active {
            q = q.filter(products::active.eq(a));
        }
        if let Some(t) = f.low_stock {
            q = q.filter(products::stock.le(t));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let q = filtered();
    let q = match f.sort {
        ProductSort::Name => q.order((products::name, products::id)),
        ProductSort::PriceAsc => q.order((products::price_cents, products::id)),
        ProductSort::PriceDesc => q.order((products::price_cents.desc(), products::id)),
        ProductSort::StockAsc => q.order((products::stock, products::id)),
        ProductSort::Newest => q.order((products::created_at.desc(), products::id.desc())),
    };
    let items = q
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(Product::as_select())
        .load(conn)?;
    Ok((items, total))
}

pub fn find(conn: &mut DbConn, id: ProductId) -> QueryResult<Product> {
    products::table
        .find(id)
        .select(Product::as_select())
        .first(conn)
}

/// A product's fields as the back-office edits them (stock changes go through adjustments).
#[derive(Debug, Clone, Serialize)]
pub struct ProductData {
    pub name: String,
    pub slug: String,
    pub description: String,
    /// In English (empty: the French is shown to English visitors).
    pub name_en: String,
    pub description_en: String,
    pub price_cents: Money,
    pub vat_rate_bp: i32,
    pub category_id: Option<CategoryId>,
    pub active: bool,
    pub featured: bool,
    /// The names of its options (empty: none).
    pub option1_name: String,
    pub option2_name: String,
    /// Their names in English (empty: the French is shown).
    pub option1_name_en: String,
    pub option2_name_en: String,
    /// Its net quantity (`catalog::quantity`), when sold by quantity.
    pub net_quantity: Option<crate::catalog::quantity::NetQuantity>,
    /// Its brand and GTIN (checked), empty when none.
    pub brand: String,
    pub gtin: String,
    pub weight_grams: i32,
    /// An alcoholic beverage (`Product::alcoholic`).
    pub alcoholic: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("slug already used")]
    SlugTaken,
    #[error("no such category")]
    UnknownCategory,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

fn check_category(conn: &mut DbConn, id: Option<CategoryId>) -> Result<(), SaveError> {
    if let Some(id) = id {
        let n: i64 = categories::table
            .filter(categories::id.eq(id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            return Err(SaveError::UnknownCategory);
        }
    }
    Ok(())
}

fn unique(e: diesel::result::Error) -> SaveError {
    if is_unique_violation(&e) {
        SaveError::SlugTaken
    } else {
        SaveError::Db(e)
    }
}

impl<'a> ProductChanges<'a> {
    /// The row a product's typed data makes, as of `now`.
    fn of(data: &'a ProductData, now: chrono::NaiveDateTime) -> ProductChanges<'a> {
        ProductChanges {
            category_id: data.category_id,
            slug: &data.slug,
            name: &data.name,
            description: &data.description,
            search_text: NewProduct::search_text_for(&data.name, &data.description),
            name_en: &data.name_en,
            description_en: &data.description_en,
            search_text_en: NewProduct::search_text_en_for(
                &data.name,
                &data.description,
                &data.name_en,
                &data.description_en,
            ),
            price_cents: data.price_cents,
            vat_rate_bp: data.vat_rate_bp,
            active: data.active,
            featured: data.featured,
            updated_at: now,
            option1_name: &data.option1_name,
            option2_name: &data.option2_name,
            option1_name_en: &data.option1_name_en,
            option2_name_en: &data.option2_name_en,
            net_quantity: data.net_quantity.map(|n| n.amount),
            net_unit: data.net_quantity.map(|n| n.unit.as_str()),
            brand: &data.brand,
            gtin: &data.gtin,
            weight_grams: data.weight_grams,
            alcoholic: data.alcoholic,
        }
    }
}

pub fn create(
    conn: &mut DbConn,
    data: &ProductData,
    stock: i32,
    actor: UserId,
) -> Result<ProductId, SaveError> {
    conn.write_tx(|c| create_in(c, data, stock, actor))
}

/// [`create`] inside the caller's transaction.
pub fn create_in(
    c: &mut DbConn,
    data: &ProductData,
    stock: i32,
    actor: UserId,
) -> Result<ProductId, SaveError> {
    {
        check_category(c, data.category_id)?;
        let now = now();
        let id: ProductId = diesel::insert_into(products::table)
            .values((
                ProductChanges::of(data, now),
                products::stock.eq(stock),
                products::created_at.eq(now),
            ))
            .returning(products::id)
            .get_result(c)
            .map_err(unique)?;
        let moved = crate::catalog::variants::create_default(c, id, &data.slug, stock, now)?;
        if stock != 0 {
            crate::catalog::stock::record_movement(
                c,
                &moved,
                stock,
                crate::catalog::stock::REASON_INITIAL,
                Some(actor),
                None,
            )?;
        }
        audit::Change::new(Some(actor), "product.create", "product")
            .on(id)
            .after(data)
            .record(c)?;
        Ok(id)
    }
}

pub fn update(
    conn: &mut DbConn,
    id: ProductId,
    data: &ProductData,
    actor: UserId,
) -> Result<(), SaveError> {
    conn.write_tx(|c| update_in(c, id, data, actor))
}

/// [`update`] inside the caller's transaction.
pub fn update_in(
    c: &mut DbConn,
    id: ProductId,
    data: &ProductData,
    actor: UserId,
) -> Result<(), SaveError> {
    {
        check_category(c, data.category_id)?;
        let before = data_of(&find(c, id)?);
        diesel::update(products::table.find(id))
            .set(ProductChanges::of(data, now()))
            .execute(c)
            .map_err(unique)?;
        crate::catalog::redirects::product_renamed(c, id, &before.slug, &data.slug)?;
        audit::Change::new(Some(actor), "product.update", "product")
            .on(id)
            .before(&before)
            .after(data)
            .record(c)?;
        Ok(())
    }
}

pub fn data_of(p: &Product) -> ProductData {
    ProductData {
        name: p.name.clone(),
        slug: p.slug.clone(),
        description: p.description.clone(),
        name_en: p.name_en.clone(),
        description_en: p.description_en.clone(),
        price_cents: p.price_cents,
        vat_rate_bp: p.vat_rate_bp,
        category_id: p.category_id,
        active: p.active,
        featured: p.featured,
        option1_name: p.option1_name.clone(),
        option2_name: p.option2_name.clone(),
        option1_name_en: p.option1_name_en.clone(),
        option2_name_en: p.option2_name_en.clone(),
        net_quantity: p.net(),
        brand: p.brand.clone(),
        gtin: p.gtin.clone(),
        weight_grams: p.weight_grams,
        alcoholic: p.alcoholic,
    }
}

/// Shows or hides a product on the storefront (past orders keep their copy).
pub fn set_active(
    conn: &mut DbConn,
    id: ProductId,
    active: bool,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        let before = find(c, id)?.active;
        diesel::update(products::table.find(id))
            .set((products::active.eq(active), products::updated_at.eq(now())))
            .execute(c)?;
        let action = if active {
            "product.activate"
        } else {
            "product.deactivate"
        };
        audit::Change::new(Some(actor), action, "product")
            .on(id)
            .before(&serde_json::json!({ "active": before }))
            .after(&serde_json::json!({ "active": active }))
            .record(c)?;
        Ok(())
    })
}
