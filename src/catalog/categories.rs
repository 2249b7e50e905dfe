//! Back-office writes to categories: create, rename, reorder, delete when empty; audited.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::catalog::model::Category;
use crate::db::now;
use crate::db::schema::{categories, products};
use crate::db::{is_unique_violation, DbConn};
use crate::ids::{CategoryId, UserId};

#[derive(Debug, Serialize)]
pub struct CategoryRow {
    #[serde(flatten)]
    pub category: Category,
    pub products: i64,
}

pub fn categories_with_counts(conn: &mut DbConn) -> QueryResult<Vec<CategoryRow>> {
    let cats = crate::catalog::model::categories(conn)?;
    let counts: Vec<(Option<CategoryId>, i64)> = products::table
        .group_by(products::category_id)
        .select((products::category_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(cats
        .into_iter()
        .map(|c| CategoryRow {
            products: counts
                .iter()
                .find(|(id, _)| *id == Some(c.id))
                .map_or(0, |(_, n)| *n),
            category: c,
        })
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum CategoryError {
    #[error("slug already used")]
    SlugTaken,
    #[error("the category still has products")]
    NotEmpty,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

fn category_unique(e: diesel::result::Error) -> CategoryError {
    if is_unique_violation(&e) {
        CategoryError::SlugTaken
    } else {
        CategoryError::Db(e)
    }
}

/// A department's texts as the back-office edits them.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryText {
    pub name: String,
    pub slug: String,
    pub description: String,
    /// In English (empty: English visitors read the French).
    pub name_en: String,
    pub description_en: String,
}

pub fn create_category(
    conn: &mut DbConn,
    text: &CategoryText,
    actor: UserId,
) -> Result<CategoryId, CategoryError> {
    let CategoryText {
        name,
        slug,
        description,
        name_en,
        description_en,
    } = text;
    conn.write_tx(|c| {
        let last: Option<i32> = categories::table
            .select(diesel::dsl::max(categories::position))
            .first(c)?;
        let id: CategoryId = diesel::insert_into(categories::table)
            .values((
                categories::slug.eq(slug),
                categories::name.eq(name),
                categories::description.eq(description),
                categories::name_en.eq(name_en),
                categories::description_en.eq(description_en),
                categories::position.eq(last.map_or(0, |p| p + 1)),
                categories::created_at.eq(now()),
            ))
            .returning(categories::id)
            .get_result(c)
            .map_err(category_unique)?;
        audit::Change::new(Some(actor), "category.create", "category")
            .on(id)
            .after(text)
            .record(c)?;
        Ok(id)
    })
}

pub fn rename_category(
    conn: &mut DbConn,
    id: CategoryId,
    text: &CategoryText,
    actor: UserId,
) -> Result<(), CategoryError> {
    let CategoryText {
        name,
        slug,
        description,
        name_en,
        description_en,
    } = text;
    conn.write_tx(|c| {
        let before: Category = categories::table
            .find(id)
            .select(Category::as_select())
            .first(c)?;
        diesel::update(categories::table.find(id))
            .set((
                categories::name.eq(name),
                categories::slug.eq(slug),
                categories::description.eq(description),
                categories::name_en.eq(name_en),
                categories::description_en.eq(description_en),
            ))
            .execute(c)
            .map_err(category_unique)?;
        crate::catalog::redirects::category_renamed(c, id, &before.slug, slug)?;
        audit::Change::new(Some(actor), "category.update", "category")
            .on(id)
            .before(&before)
            .after(text)
            .record(c)?;
        Ok(())
    })
}

/// Swaps a category with its neighbour above (`up`) or below.
pub fn move_category(
    conn: &mut DbConn,
    id: CategoryId,
    up: bool,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        let all = crate::catalog::model::categories(c)?;
        let Some(i) = all.iter().position(|x| x.id == id) else {
            return Err(diesel::result::Error::NotFound);
        };
        let j = if up {
            i.checked_sub(1)
        } else {
            Some(i + 1).filter(|j| *j < all.len())
        };
        let Some(j) = j else { return Ok(()) };
        // Renumber everything so positions stay distinct even if they were not.
        let mut order: Vec<CategoryId> = all.iter().map(|x| x.id).collect();
        order.swap(i, j);
        for (pos, cid) in order.iter().enumerate() {
            diesel::update(categories::table.find(cid))
                .set(categories::position.eq(pos as i32))
                .execute(c)?;
        }
        let action = if up {
            "category.move_up"
        } else {
            "category.move_down"
        };
        audit::Change::new(Some(actor), action, "category")
            .on(id)
            .before(&serde_json::json!({ "position": i }))
            .after(&serde_json::json!({ "position": j }))
            .record(c)?;
        Ok(())
    })
}

pub fn delete_category(
    conn: &mut DbConn,
    id: CategoryId,
    actor: UserId,
) -> Result<(), CategoryError> {
    conn.write_tx(|c| {
        let before: Category = categories::table
            .find(id)
            .select(Category::as_select())
            .first(c)?;
        let used: i64 = products::table
            .filter(products::category_id.eq(id))
            .count()
            .get_result(c)?;
        if used > 0 {
            return Err(CategoryError::NotEmpty);
        }
        diesel::delete(categories::table.find(id)).execute(c)?;
        audit::Change::new(Some(actor), "category.delete", "category")
            .on(id)
            .before(&before)
            .record(c)?;
        Ok(())
    })
}
