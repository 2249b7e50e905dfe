//! Bulk edits from the back-office product list: one field changed on many products, shown
//! before it is applied, applied in one transaction, every product's change audited.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::catalog::model::Product;
use crate::catalog::stock::StockError;
use crate::db::now;
use crate::db::schema::{categories, products};
use crate::db::DbConn;
use crate::ids::{CategoryId, ProductId, UserId, VariantId};
use crate::money::Money;

/// Most products one bulk edit may touch.
pub const MAX_PRODUCTS: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Price(i64),
    Stock(i32),
    Category(Option<CategoryId>),
    Active(bool),
}

impl Change {
    /// Reads the form's field and value; `None` when the value does not fit the field.
    pub fn parse(field: &str, value: &str) -> Option<Change> {
        let value = value.trim();
        match field {
            "price" => Money::parse_euros(value).map(|m| Change::Price(m.cents())),
            "stock" => crate::catalog::stock::parse_stock(value).map(Change::Stock),
            "category" if value.is_empty() => Some(Change::Category(None)),
            "category" => value
                .parse()
                .ok()
                .map(|id| Change::Category(Some(CategoryId(id)))),
            "active" => match value {
                "true" => Some(Change::Active(true)),
                "false" => Some(Change::Active(false)),
                _ => None,
            },
            _ => None,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Change::Price(_) => "price",
            Change::Stock(_) => "stock",
            Change::Category(_) => "category",
            Change::Active(_) => "active",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct BulkRow {
    pub id: ProductId,
    /// A stock is set per variant: each variant on sale of a product in sizes is a row.
    pub variant_id: Option<VariantId>,
    pub name: String,
    pub before: String,
    pub after: String,
}

fn show(
    p: &Product,
    change: &Change,
    category_name: &dyn Fn(Option<CategoryId>) -> String,
) -> (String, String) {
    match change {
        Change::Price(c) => (p.price_cents.input_value("fr"), Money(*c).input_value("fr")),
        // Set per variant (see `preview`).
        Change::Stock(s) => (p.stock.to_string(), s.to_string()),
        Change::Category(c) => (category_name(p.category_id), category_name(*c)),
        Change::Active(a) => (p.active.to_string(), a.to_string()),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    #[error("no products selected, or too many")]
    Selection,
    #[error("no such category")]
    UnknownCategory,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl From<StockError> for BulkError {
    fn from(e: StockError) -> Self {
        match e {
            StockError::Db(e) => BulkError::Db(e),
            // Setting an absolute stock of zero or more never goes below zero.
            StockError::BelowZero => BulkError::Selection,
            // Every row names its variant.
            StockError::ChooseVariant => BulkError::Selection,
        }
    }
}

/// What the change would do to each selected product, writing nothing.
pub fn preview(
    conn: &mut DbConn,
    ids: &[ProductId],
    change: &Change,
) -> Result<Vec<BulkRow>, BulkError> {
    if ids.is_empty() || ids.len() > MAX_PRODUCTS {
        return Err(BulkError::Selection);
    }
    let cats: Vec<(CategoryId, String)> = categories::table
        .select((categories::id, categories::name))
        .load(conn)?;
    if let Change::Category(Some(id)) = change {
        if !cats.iter().any(|(c, _)| c == id) {
            return Err(BulkError::UnknownCategory);
        }
    }
    let name = |id: Option<CategoryId>| {
        id.and_then(|id| cats.iter().find(|(c, _)| *c == id).map(|(_, n)| n.clone()))
            .unwrap_or_else(|| "—".into())
    };
    let items: Vec<Product> = products::table
        .filter(products::id.eq_any(ids))
        .order(products::name)
        .select(Product::as_select())
        .load(conn)?;
    if items.is_empty() {
        return Err(BulkError::Selection);
    }
    if let Change::Stock(stock) = change {
        // Every variant on sale gets the stock: "10 of each size".
        let mut rows = Vec::new();
        for p in &items {
            for v in crate::catalog::variants::of_product(conn, p.id)? {
                if !v.active {
                    continue;
                }
                let label = v.label();
                rows.push(BulkRow {
                    id: p.id,
                    variant_id: Some(v.id),
                    name: if label.is_empty() {
                        p.name.clone()
                    } else {
                        format!("{} ({label})", p.name)
                    },
                    before: v.stock.to_string(),
                    after: stock.to_string(),
                });
            }
        }
        return Ok(rows);
    }
    Ok(items
        .iter()
        .map(|p| {
            let (before, after) = show(p, change, &name);
            BulkRow {
                id: p.id,
                variant_id: None,
                name: p.name.clone(),
                before,
                after,
            }
        })
        .collect())
}

/// Applies the change to every selected product, or to none.
pub fn apply(
    conn: &mut DbConn,
    ids: &[ProductId],
    change: &Change,
    actor: UserId,
) -> Result<usize, BulkError> {
    conn.write_tx(|c| {
        let rows = preview(c, ids, change)?;
        for row in &rows {
            let target = products::table.find(row.id);
            match change {
                Change::Price(cents) => {
                    diesel::update(target)
                        .set((
                            products::price_cents.eq(cents),
                            products::updated_at.eq(now()),
                        ))
                        .execute(c)?;
                }
                Change::Stock(stock) => {
                    let variant = crate::catalog::variants::resolve(c, row.id, row.variant_id)?;
                    let current = crate::catalog::variants::find(c, variant)?.stock;
                    if current != *stock {
                        crate::catalog::stock::adjust_in(
                            c,
                            variant,
                            stock - current,
                            "bulk edit",
                            actor,
                        )?;
                    }
                }
                Change::Category(cat) => {
                    diesel::update(target)
                        .set((
                            products::category_id.eq(cat),
                            products::updated_at.eq(now()),
                        ))
                        .execute(c)?;
                }
                Change::Active(active) => {
                    diesel::update(target)
                        .set((products::active.eq(active), products::updated_at.eq(now())))
                        .execute(c)?;
                }
            }
            if !matches!(change, Change::Stock(_)) {
                audit::Change::new(
                    Some(actor),
                    &format!("product.bulk_{}", change.name()),
                    "product",
                )
                .on(row.id)
                .before(&serde_json::json!({ change.name(): row.before }))
                .after(&serde_json::json!({ change.name(): row.after }))
                .record(c)?;
            }
        }
        Ok(rows.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_changes() {
        assert_eq!(Change::parse("price", "12,50"), Some(Change::Price(1250)));
        assert_eq!(Change::parse("price", "-1"), None);
        assert_eq!(Change::parse("stock", "7"), Some(Change::Stock(7)));
        assert_eq!(Change::parse("stock", "-7"), None);
        assert_eq!(Change::parse("category", ""), Some(Change::Category(None)));
        assert_eq!(
            Change::parse("category", "3"),
            Some(Change::Category(Some(CategoryId(3))))
        );
        assert_eq!(
            Change::parse("active", "false"),
            Some(Change::Active(false))
        );
        assert_eq!(Change::parse("active", "maybe"), None);
        assert_eq!(Change::parse("name", "x"), None);
    }
}
