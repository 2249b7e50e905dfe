//! Products to and from CSV: export everything; import with a dry run that checks every row
//! and reports per-row errors before anything is written, then applies all rows or none.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use super::manage::{self, ProductData};
use super::model::Product;
use crate::db::schema::{categories, pending_imports, products};
use crate::db::{now, DbConn};
use crate::money::{Money, VatRate};
use crate::text::slugify;

pub const HEADER: [&str; 11] = [
    "slug",
    "name",
    "category",
    "price",
    "vat_rate",
    "stock",
    "active",
    "featured",
    "description",
    "name_en",
    "description_en",
];

fn vat_text(bp: i32) -> String {
    let s = format!("{}.{:02}", bp / 100, bp % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Every product as CSV, with prices in euros (`12.50`) and VAT rates in percent (`5.5`).
pub fn export(conn: &mut DbConn) -> Result<String, String> {
    let rows: Vec<(Product, Option<String>)> = products::table
        .left_join(categories::table)
        .order(products::id)
        .select((Product::as_select(), categories::slug.nullable()))
        .load(conn)
        .map_err(|e| e.to_string())?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(|e| e.to_string())?;
    for (p, cat) in rows {
        w.write_record([
            p.slug,
            p.name,
            cat.unwrap_or_default(),
            Money(p.price_cents).input_value("en"),
            vat_text(p.vat_rate_bp),
            p.stock.to_string(),
            p.active.to_string(),
            p.featured.to_string(),
            p.description,
            p.name_en,
            p.description_en,
        ])
        .map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// What importing one row will do.
#[derive(Debug, Clone, Serialize)]
pub struct RowPlan {
    pub line: usize,
    pub slug: String,
    pub name: String,
    pub action: &'static str,
    pub price_cents: i64,
    pub stock: i32,
    pub errors: Vec<String>,
    #[serde(skip)]
    data: Option<(ProductData, i32, Option<i64>)>,
}

#[derive(Debug, Serialize)]
pub struct ImportPlan {
    pub rows: Vec<RowPlan>,
    pub errors: usize,
    pub creates: usize,
    pub updates: usize,
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "oui" | "" => Some(true),
        "false" | "0" | "no" | "non" => Some(false),
        _ => None,
    }
}

fn parse_vat(s: &str) -> Option<VatRate> {
    let pct = Money::parse_euros(s.trim().trim_end_matches('%'))?;
    // "5.5" parses as 550 cents: the same number as basis points.
    VatRate::from_basis_points(i32::try_from(pct.cents()).ok()?)
}

/// One line of an import as typed: text until checked, a missing column empty, unknown
/// columns ignored (the file may come from a spreadsheet with columns of its own).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CsvRow {
    name: String,
    slug: String,
    description: String,
    name_en: String,
    description_en: String,
    price: String,
    vat_rate: String,
    category: String,
    stock: String,
    active: String,
    featured: String,
}

impl CsvRow {
    /// PostgreSQL refuses NUL characters in text.
    fn without_nul(mut self) -> CsvRow {
        for field in [
            &mut self.name,
            &mut self.slug,
            &mut self.description,
            &mut self.name_en,
            &mut self.description_en,
            &mut self.price,
            &mut self.vat_rate,
            &mut self.category,
            &mut self.stock,
            &mut self.active,
            &mut self.featured,
        ] {
            field.retain(|c| c != '\0');
        }
        self
    }
}

/// Reads the CSV and checks every row against the database, writing nothing. Error messages
/// are codes (`price`, `vat_rate`, …) the page translates.
pub fn plan(conn: &mut DbConn, input: &str) -> QueryResult<Result<ImportPlan, String>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Ok(Err(e.to_string())),
    };
    for required in ["name", "price"] {
        if !headers.iter().any(|h| h == required) {
            return Ok(Err(format!("missing column: {required}")));
        }
    }
    let cats: HashMap<String, i64> = categories::table
        .select((categories::slug, categories::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let existing: HashMap<String, (i64, i32)> = products::table
        .select((products::slug, products::id, products::stock))
        .load::<(String, i64, i32)>(conn)?
        .into_iter()
        .map(|(s, id, stock)| (s, (id, stock)))
        .collect();
    // A file without the English columns (an older export, a spreadsheet of its own) leaves
    // the products' English text as it is.
    let has = |column: &str| headers.iter().any(|h| h == column);
    let (with_name_en, with_description_en) = (has("name_en"), has("description_en"));
    let english: HashMap<String, (String, String)> = if with_name_en && with_description_en {
        HashMap::new()
    } else {
        products::table
            .select((products::slug, products::name_en, products::description_en))
            .load::<(String, String, String)>(conn)?
            .into_iter()
            .map(|(s, n, d)| (s, (n, d)))
            .collect()
    };
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, row) in reader.deserialize::<CsvRow>().enumerate() {
        let line = i + 2;
        let row = match row {
            Ok(r) => r.without_nul(),
            Err(e) => return Ok(Err(format!("line {line}: {e}"))),
        };
        if rows.len() >= 5000 {
            return Ok(Err("more than 5000 rows".into()));
        }
        let mut errors = Vec::new();
        let CsvRow {
            name,
            slug: given_slug,
            description,
            name_en,
            description_en,
            price,
            vat_rate,
            category,
            stock: stock_text,
            active,
            featured: featured_text,
        } = row;
        if name.is_empty() || name.chars().count() > 200 {
            errors.push("required_200".to_string());
        }
        let slug = slugify(if given_slug.is_empty() {
            &name
        } else {
            &given_slug
        });
        if slug.is_empty() || !seen.insert(slug.clone()) {
            errors.push("slug".to_string());
        }
        let price = Money::parse_euros(&price);
        if price.is_none() {
            errors.push("price".to_string());
        }
        let vat = if vat_rate.is_empty() {
            Some(VatRate::Standard)
        } else {
            parse_vat(&vat_rate)
        };
        if vat.is_none() {
            errors.push("vat_rate".to_string());
        }
        let category = match category.as_str() {
            "" => Some(None),
            c => cats.get(c).map(|id| Some(*id)),
        };
        if category.is_none() {
            errors.push("category".to_string());
        }
        let current = existing.get(&slug).copied();
        let stock = if stock_text.is_empty() {
            Some(current.map_or(0, |c| c.1))
        } else {
            stock_text
                .parse::<i32>()
                .ok()
                .filter(|s| (0..=1_000_000).contains(s))
        };
        if stock.is_none() {
            errors.push("stock".to_string());
        }
        let active = parse_bool(&active);
        let featured = parse_bool(if featured_text.is_empty() {
            "false"
        } else {
            &featured_text
        });
        if active.is_none() || featured.is_none() {
            errors.push("boolean".to_string());
        }
        if description.chars().count() > 5000 || description_en.chars().count() > 5000 {
            errors.push("too_long".to_string());
        }
        if name_en.chars().count() > 200 {
            errors.push("max_200".to_string());
        }
        let kept = english.get(&slug);
        let name_en = match kept {
            Some((kept, _)) if !with_name_en => kept.clone(),
            _ => name_en,
        };
        let description_en = match kept {
            Some((_, kept)) if !with_description_en => kept.clone(),
            _ => description_en,
        };
        let data = match (price, vat, category, stock, active, featured) {
            (Some(p), Some(v), Some(c), Some(s), Some(a), Some(f)) if errors.is_empty() => Some((
                ProductData {
                    name: name.clone(),
                    slug: slug.clone(),
                    description,
                    name_en,
                    description_en,
                    price_cents: p.cents(),
                    vat_rate_bp: v.basis_points(),
                    category_id: c,
                    active: a,
                    featured: f,
                },
                s,
                current.map(|c| c.0),
            )),
            _ => None,
        };
        rows.push(RowPlan {
            line,
            action: if current.is_some() {
                "update"
            } else {
                "create"
            },
            price_cents: price.map_or(0, |p| p.cents()),
            stock: stock.unwrap_or(0),
            slug,
            name,
            errors,
            data,
        });
    }
    Ok(Ok(ImportPlan {
        errors: rows.iter().filter(|r| !r.errors.is_empty()).count(),
        creates: rows.iter().filter(|r| r.action == "create").count(),
        updates: rows.iter().filter(|r| r.action == "update").count(),
        rows,
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file has errors")]
    Invalid,
    #[error("{0}")]
    Unreadable(String),
    #[error(transparent)]
    Save(#[from] manage::SaveError),
    #[error(transparent)]
    Stock(#[from] super::stock::StockError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Save(manage::SaveError::Db(e))
    }
}

/// Pending imports (checked, waiting for "apply") older than this are dropped.
const PENDING_HOURS: i64 = 24;

/// Keeps a checked file for the "apply" step, in the database so that the instance that
/// applies it need not be the one that checked it.
pub fn keep_pending(conn: &mut DbConn, token: &str, body: &str, actor: i64) -> QueryResult<()> {
    diesel::insert_into(pending_imports::table)
        .values((
            pending_imports::token.eq(token),
            pending_imports::body.eq(body),
            pending_imports::created_by.eq(actor),
            pending_imports::created_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Takes a pending import back (once: it is removed), if it is still fresh.
pub fn take_pending(conn: &mut DbConn, token: &str) -> QueryResult<Option<String>> {
    conn.write_tx(|c| {
        let fresh = now() - chrono::Duration::hours(PENDING_HOURS);
        let body: Option<String> = pending_imports::table
            .filter(pending_imports::token.eq(token))
            .filter(pending_imports::created_at.gt(fresh))
            .select(pending_imports::body)
            .first(c)
            .optional()?;
        diesel::delete(pending_imports::table.filter(pending_imports::token.eq(token)))
            .execute(c)?;
        Ok(body)
    })
}

/// Drops pending imports nobody applied (housekeeping).
pub fn purge_pending(conn: &mut DbConn) -> QueryResult<usize> {
    let stale = now() - chrono::Duration::hours(PENDING_HOURS);
    diesel::delete(pending_imports::table.filter(pending_imports::created_at.le(stale)))
        .execute(conn)
}

/// Applies a CSV in one transaction: every row, or (on any error) none.
pub fn apply(conn: &mut DbConn, input: &str, actor: i64) -> Result<ImportPlan, ImportError> {
    conn.write_tx(|c| {
        let plan = plan(c, input)?.map_err(ImportError::Unreadable)?;
        if plan.errors > 0 {
            return Err(ImportError::Invalid);
        }
        for row in &plan.rows {
            let Some((data, stock, existing)) = &row.data else {
                return Err(ImportError::Invalid);
            };
            match existing {
                None => {
                    manage::create_in(c, data, *stock, actor)?;
                }
                Some(id) => {
                    manage::update_in(c, *id, data, actor)?;
                    let current = manage::find(c, *id)?.stock;
                    if current != *stock {
                        super::stock::adjust_in(c, *id, stock - current, "CSV import", actor)?;
                    }
                }
            }
        }
        Ok(plan)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_rates_read_and_written_in_percent() {
        assert_eq!(vat_text(550), "5.5");
        assert_eq!(vat_text(2000), "20");
        assert_eq!(vat_text(210), "2.1");
        assert_eq!(parse_vat("5,5"), Some(VatRate::Reduced));
        assert_eq!(parse_vat("20%"), Some(VatRate::Standard));
        assert_eq!(parse_vat("19"), None);
    }
}
