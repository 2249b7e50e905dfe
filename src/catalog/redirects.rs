//! Renamed products and departments keep answering their old addresses: each rename records
//! the slug it leaves, and a request for it gets a 301 to the current one (links in emails,
//! bookmarks and search engines follow).

use chrono::Utc;
use diesel::prelude::*;

use crate::catalog::model::{self, Category, ProductPage};
use crate::db::schema::{categories, old_slugs, products};
use crate::db::DbConn;
use crate::ids::VariantId;
use crate::ids::{CategoryId, ProductId};

const PRODUCT: &str = "product";
const CATEGORY: &str = "category";

/// What a slug leads to: the page, or the slug it moved to.
pub enum Found<T> {
    Here(T),
    Moved(String),
}

fn remember(c: &mut DbConn, kind: &str, old: &str, new: &str, id: i64) -> QueryResult<()> {
    // The new slug is live now: it no longer leads elsewhere.
    diesel::delete(
        old_slugs::table
            .filter(old_slugs::kind.eq(kind))
            .filter(old_slugs::slug.eq_any([old, new])),
    )
    .execute(c)?;
    if old != new {
        diesel::insert_into(old_slugs::table)
            .values((
                old_slugs::kind.eq(kind),
                old_slugs::slug.eq(old),
                old_slugs::target_id.eq(id),
                old_slugs::created_at.eq(Utc::now().naive_utc()),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// Inside the rename's transaction.
pub fn product_renamed(c: &mut DbConn, id: ProductId, old: &str, new: &str) -> QueryResult<()> {
    remember(c, PRODUCT, old, new, id.0)
}

/// Inside the rename's transaction.
pub fn category_renamed(c: &mut DbConn, id: CategoryId, old: &str, new: &str) -> QueryResult<()> {
    remember(c, CATEGORY, old, new, id.0)
}

/// A product's page by slug, or where an old slug of a visible product moved to.
pub fn product(
    c: &mut DbConn,
    slug: &str,
    variant: Option<VariantId>,
) -> QueryResult<Found<ProductPage>> {
    match model::product_page(c, slug, variant) {
        Err(diesel::result::Error::NotFound) => old_slugs::table
            .inner_join(products::table.on(products::id.eq(old_slugs::target_id)))
            .filter(old_slugs::kind.eq(PRODUCT))
            .filter(old_slugs::slug.eq(slug))
            .filter(products::active.eq(true))
            .select(products::slug)
            .first(c)
            .map(Found::Moved),
        found => found.map(Found::Here),
    }
}

/// A department by slug, or where an old slug of one moved to.
pub fn category(c: &mut DbConn, slug: &str) -> QueryResult<Found<Category>> {
    match model::category_by_slug(c, slug) {
        Err(diesel::result::Error::NotFound) => old_slugs::table
            .inner_join(categories::table.on(categories::id.eq(old_slugs::target_id)))
            .filter(old_slugs::kind.eq(CATEGORY))
            .filter(old_slugs::slug.eq(slug))
            .select(categories::slug)
            .first(c)
            .map(Found::Moved),
        found => found.map(Found::Here),
    }
}
