//! Products to and from CSV: export everything; import with a dry run that checks every row
//! and reports per-row errors before anything is written, then applies all rows or none.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::catalog::facts::{FactsData, FactsInput};
use crate::catalog::manage::{self, ProductData};
use crate::catalog::model::Product;
use crate::catalog::variants::{Variant, VariantData};
use crate::db::schema::{categories, pending_imports, product_variants, products};
use crate::db::{now, DbConn};
use crate::ids::{CategoryId, ManufacturerId, ProductId, UserId, VariantId};
use crate::money::{Money, VatRate};
use crate::text::slugify;

/// One row a variant: a product with options has a row for each of its variants, its own
/// columns repeated; a product without options has one row (its default variant, no options).
pub const HEADER: [&str; 27] = [
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
    "weight_grams",
    "option1_name",
    "option2_name",
    "option1_name_en",
    "option2_name_en",
    "net_quantity",
    "net_unit",
    "brand",
    "gtin",
    "sku",
    "option1",
    "option2",
    "variant_price",
    "variant_weight_grams",
    "variant_active",
    "variant_gtin",
];

/// The product's composition and safety facts (`catalog::facts`), after [`HEADER`]: its
/// manufacturer by name, allergen groups as codes separated by commas, nutrition per 100 g or
/// ml in grams. A file without any of these columns leaves the products' facts as they are;
/// one with some reads the missing ones as empty.
pub const FACTS_HEADER: [&str; 22] = [
    "manufacturer",
    "mpn",
    "batch",
    "warnings",
    "warnings_en",
    "food",
    "ingredients",
    "ingredients_en",
    "allergens",
    "energy_kj",
    "energy_kcal",
    "fat",
    "saturates",
    "carbohydrate",
    "sugars",
    "protein",
    "salt",
    "storage",
    "storage_en",
    "origin",
    "origin_en",
    "alcohol",
];

/// A product's facts as the columns of [`FACTS_HEADER`].
fn facts_fields(data: &FactsData, maker: &str) -> Vec<String> {
    let input = FactsInput::of(data);
    let mut fields = vec![
        maker.to_string(),
        input.mpn,
        input.batch,
        input.warnings,
        input.warnings_en,
        input.food.to_string(),
        input.ingredients,
        input.ingredients_en,
        input.allergens.join(","),
    ];
    fields.extend(input.nutrition);
    fields.extend([
        input.storage,
        input.storage_en,
        input.origin,
        input.origin_en,
        input.alcohol,
    ]);
    fields
}

/// The facts columns of a row as typed (`column` gives a column's text, empty when absent):
/// the manufacturer's name and the rest.
fn facts_input<'a>(column: impl Fn(&str) -> &'a str) -> Result<(String, FactsInput), ()> {
    let food = match column("food") {
        "" => false,
        typed => parse_bool(typed).ok_or(())?,
    };
    let text = |name: &str| column(name).replace('\0', "");
    Ok((
        text("manufacturer").trim().to_string(),
        FactsInput {
            mpn: text("mpn"),
            batch: text("batch"),
            warnings: text("warnings"),
            warnings_en: text("warnings_en"),
            food,
            ingredients: text("ingredients"),
            ingredients_en: text("ingredients_en"),
            allergens: column("allergens")
                .split([',', ';', '|'])
                .map(|a| a.trim().to_lowercase())
                .filter(|a| !a.is_empty())
                .collect(),
            nutrition: crate::catalog::facts::NUTRITION_FIELDS.map(text),
            storage: text("storage"),
            storage_en: text("storage_en"),
            origin: text("origin"),
            origin_en: text("origin_en"),
            alcohol: text("alcohol"),
        },
    ))
}

fn vat_text(bp: i32) -> String {
    let s = format!("{}.{:02}", bp / 100, bp % 100);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Every variant of every product as CSV, with prices in euros (`12.50`) and VAT rates in
/// percent (`5.5`).
pub fn export(conn: &mut DbConn) -> Result<String, String> {
    let rows: Vec<(Product, Option<String>, Variant)> = products::table
        .left_join(categories::table)
        .inner_join(product_variants::table)
        .order((
            products::id,
            product_variants::position,
            product_variants::id,
        ))
        .select((
            Product::as_select(),
            categories::slug.nullable(),
            Variant::as_select(),
        ))
        .load(conn)
        .map_err(|e| e.to_string())?;
    let facts = crate::catalog::facts::all(conn).map_err(|e| e.to_string())?;
    let makers: HashMap<ManufacturerId, String> = crate::catalog::facts::manufacturers(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let none = FactsData::default();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER.iter().chain(FACTS_HEADER.iter()))
        .map_err(|e| e.to_string())?;
    for (p, cat, v) in rows {
        let data = facts.get(&p.id).unwrap_or(&none);
        let maker = data
            .manufacturer_id
            .and_then(|m| makers.get(&m))
            .map_or("", String::as_str);
        let product_fields = [
            p.slug,
            p.name,
            cat.unwrap_or_default(),
            p.price_cents.input_value("en"),
            vat_text(p.vat_rate_bp),
            v.stock.to_string(),
            p.active.to_string(),
            p.featured.to_string(),
            p.description,
            p.name_en,
            p.description_en,
            p.weight_grams.to_string(),
            p.option1_name,
            p.option2_name,
            p.option1_name_en,
            p.option2_name_en,
            p.net_quantity.map(|n| n.to_string()).unwrap_or_default(),
            p.net_unit.unwrap_or_default(),
            p.brand,
            p.gtin,
            v.sku,
            v.option1,
            v.option2,
            v.price_cents
                .map(|c| c.input_value("en"))
                .unwrap_or_default(),
            v.weight_grams.map(|g| g.to_string()).unwrap_or_default(),
            v.active.to_string(),
            v.gtin,
        ];
        w.write_record(product_fields.into_iter().chain(facts_fields(data, maker)))
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
    pub price_cents: Money,
    pub stock: i32,
    /// The variant's SKU and options, as the row gives them.
    pub sku: String,
    pub variant: String,
    pub errors: Vec<String>,
    #[serde(skip)]
    data: Option<RowData>,
}

/// A row checked: the product's data, the variant's, its stock and whether it is on sale.
#[derive(Debug, Clone)]
struct RowData {
    product: ProductData,
    existing: Option<ProductId>,
    /// None: the product's only variant (a file without SKUs, or a row that leaves it empty).
    variant: Option<(VariantData, Option<VariantId>)>,
    variant_active: bool,
    stock: i32,
    /// The product's facts from the file; none: a file without facts columns keeps them.
    facts: Option<FactsData>,
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
    weight_grams: String,
    option1_name: String,
    option2_name: String,
    option1_name_en: String,
    option2_name_en: String,
    net_quantity: String,
    net_unit: String,
    brand: String,
    gtin: String,
    sku: String,
    option1: String,
    option2: String,
    variant_price: String,
    variant_weight_grams: String,
    variant_active: String,
    variant_gtin: String,
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
            &mut self.weight_grams,
            &mut self.option1_name,
            &mut self.option2_name,
            &mut self.option1_name_en,
            &mut self.option2_name_en,
            &mut self.net_quantity,
            &mut self.net_unit,
            &mut self.brand,
            &mut self.gtin,
            &mut self.sku,
            &mut self.option1,
            &mut self.option2,
            &mut self.variant_price,
            &mut self.variant_weight_grams,
            &mut self.variant_active,
            &mut self.variant_gtin,
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
    let cats: HashMap<String, CategoryId> = categories::table
        .select((categories::slug, categories::id))
        .load::<(String, CategoryId)>(conn)?
        .into_iter()
        .collect();
    let existing: HashMap<String, Product> = products::table
        .select(Product::as_select())
        .load::<Product>(conn)?
        .into_iter()
        .map(|p| (p.slug.clone(), p))
        .collect();
    // Every variant by SKU, and each product's variants: a row names its variant by SKU.
    let variants: Vec<Variant> = product_variants::table
        .select(Variant::as_select())
        .load(conn)?;
    let by_sku: HashMap<&str, &Variant> = variants.iter().map(|v| (v.sku.as_str(), v)).collect();
    let mut per_product: HashMap<ProductId, Vec<&Variant>> = HashMap::new();
    for v in &variants {
        per_product.entry(v.product_id).or_default().push(v);
    }
    // A file without the English, weight or option columns (an older export, a spreadsheet of
    // its own) leaves those of the products as they are.
    let has = |column: &str| headers.iter().any(|h| h == column);
    let (with_name_en, with_description_en) = (has("name_en"), has("description_en"));
    let (with_weight, with_options) = (has("weight_grams"), has("option1_name"));
    let with_options_en = has("option1_name_en");
    let with_net = has("net_quantity");
    let (with_brand, with_gtin) = (has("brand"), has("gtin"));
    let with_variant_gtin = has("variant_gtin");
    let with_facts = FACTS_HEADER.iter().any(|c| has(c));
    let makers = crate::catalog::facts::by_name(conn)?;
    let column_of: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h, i)).collect();
    let mut first_facts: HashMap<String, Option<FactsData>> = HashMap::new();
    let mut rows = Vec::new();
    // The first row of each product decides its own columns; its other rows add variants.
    let mut first_row: HashMap<String, ProductData> = HashMap::new();
    let mut seen_skus = std::collections::HashSet::new();
    let mut seen_options = std::collections::HashSet::new();
    let mut without_sku = std::collections::HashSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => return Ok(Err(format!("line {line}: {e}"))),
        };
        let row = match record.deserialize::<CsvRow>(Some(&headers)) {
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
            weight_grams,
            option1_name,
            option2_name,
            option1_name_en,
            option2_name_en,
            net_quantity,
            net_unit,
            brand,
            gtin,
            sku,
            option1,
            option2,
            variant_price,
            variant_weight_grams,
            variant_active,
            variant_gtin,
        } = row;
        if name.is_empty() || name.chars().count() > 200 {
            errors.push("required_200".to_string());
        }
        let slug = slugify(if given_slug.is_empty() {
            &name
        } else {
            &given_slug
        });
        if slug.is_empty() {
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
        let current = existing.get(&slug);
        let active = parse_bool(&active);
        let featured = parse_bool(if featured_text.is_empty() {
            "false"
        } else {
            &featured_text
        });
        let variant_active = parse_bool(&variant_active);
        if active.is_none() || featured.is_none() || variant_active.is_none() {
            errors.push("boolean".to_string());
        }
        if description.chars().count() > 5000 || description_en.chars().count() > 5000 {
            errors.push("too_long".to_string());
        }
        if name_en.chars().count() > 200 {
            errors.push("max_200".to_string());
        }
        let name_en = match current {
            Some(p) if !with_name_en => p.name_en.clone(),
            _ => name_en,
        };
        let description_en = match current {
            Some(p) if !with_description_en => p.description_en.clone(),
            _ => description_en,
        };
        let weight = match current {
            Some(p) if !with_weight => Some(Some(p.weight_grams)),
            _ if weight_grams.is_empty() => Some(Some(0)),
            _ => crate::catalog::variants::parse_weight(&weight_grams),
        };
        let variant_weight = crate::catalog::variants::parse_weight(&variant_weight_grams);
        if !matches!(weight, Some(Some(_))) || variant_weight.is_none() {
            errors.push("weight".to_string());
        }
        let (option1_name, option2_name) = match current {
            Some(p) if !with_options => (p.option1_name.clone(), p.option2_name.clone()),
            _ => (option1_name, option2_name),
        };
        // A file without the English names keeps the product's, for the options it keeps.
        let (option1_name_en, option2_name_en) = match current {
            Some(p) if !with_options_en => {
                let kept = |fr: &str, en: &str| {
                    if fr.is_empty() {
                        String::new()
                    } else {
                        en.to_string()
                    }
                };
                (
                    kept(&option1_name, &p.option1_name_en),
                    kept(&option2_name, &p.option2_name_en),
                )
            }
            _ => (option1_name_en, option2_name_en),
        };
        // At most 40 characters each, the second only after the first, English only where
        // there is French to translate.
        let too_long = [
            &option1_name,
            &option2_name,
            &option1_name_en,
            &option2_name_en,
        ]
        .iter()
        .any(|n| n.chars().count() > 40);
        if too_long
            || (option1_name.is_empty() && !option2_name.is_empty())
            || (option1_name.is_empty() && !option1_name_en.is_empty())
            || (option2_name.is_empty() && !option2_name_en.is_empty())
        {
            errors.push("options".to_string());
        }
        // Stored units as exported: an amount of g, ml or piece.
        let net = match current {
            Some(p) if !with_net => Some(p.net()),
            _ if net_quantity.is_empty() && net_unit.is_empty() => Some(None),
            _ => net_quantity
                .parse::<i32>()
                .ok()
                .and_then(|n| {
                    crate::catalog::quantity::NetQuantity::of(Some(n), Some(net_unit.as_str()))
                })
                .map(Some),
        };
        if net.is_none() {
            errors.push("net_quantity".to_string());
        }
        let brand = match current {
            Some(p) if !with_brand => p.brand.clone(),
            _ => brand.trim().to_string(),
        };
        if brand.chars().count() > 100 {
            errors.push("brand".to_string());
        }
        let gtin = match current {
            Some(p) if !with_gtin => p.gtin.clone(),
            _ => crate::catalog::gtin::normalize(&gtin).unwrap_or_else(|_| {
                errors.push("gtin".to_string());
                String::new()
            }),
        };
        // The facts columns, or (none in the file) the product's facts kept.
        let facts = if with_facts {
            let column = |name: &str| {
                column_of
                    .get(name)
                    .and_then(|i| record.get(*i))
                    .unwrap_or("")
            };
            match facts_input(column) {
                Ok((maker, input)) => {
                    let manufacturer = match maker.as_str() {
                        "" => Some(None),
                        name => makers.get(name).map(|id| Some(*id)),
                    };
                    if manufacturer.is_none() {
                        errors.push("manufacturer".to_string());
                    }
                    match input.check(manufacturer.flatten()) {
                        Ok(data) => Some(data),
                        Err(wrong) => {
                            for (field, _) in wrong {
                                let code = match field {
                                    "allergens" | "alcohol" => field,
                                    f if crate::catalog::facts::NUTRITION_FIELDS.contains(&f) => {
                                        "nutrition"
                                    }
                                    _ => "facts_too_long",
                                };
                                if !errors.iter().any(|e| e == code) {
                                    errors.push(code.to_string());
                                }
                            }
                            None
                        }
                    }
                }
                Err(()) => {
                    errors.push("boolean".to_string());
                    None
                }
            }
        } else {
            None
        };
        let variant_price = match variant_price.as_str() {
            "" => Some(None),
            typed => Money::parse_euros(typed).map(Some),
        };
        if variant_price.is_none() {
            errors.push("price".to_string());
        }
        // The variant: by SKU when given (it must be this product's, or a new one), else the
        // product's only variant.
        let sku = sku.to_uppercase();
        let found = by_sku.get(sku.as_str()).copied();
        let existing_variant = if sku.is_empty() {
            let only = current
                .and_then(|p| per_product.get(&p.id))
                .map(Vec::as_slice);
            if !without_sku.insert(slug.clone()) || matches!(only, Some([_, _, ..])) {
                errors.push("sku_required".to_string());
            }
            None
        } else {
            let sku_ok = sku.len() <= 64
                && sku
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !sku_ok || !seen_skus.insert(sku.clone()) {
                errors.push("sku".to_string());
            }
            if found.is_some_and(|v| current.map(|p| p.id) != Some(v.product_id)) {
                errors.push("sku_taken".to_string());
            }
            found.map(|v| v.id)
        };
        if option1.is_empty() != option1_name.is_empty()
            || option2.is_empty() != option2_name.is_empty()
            || option1.chars().count() > 60
            || option2.chars().count() > 60
            || !seen_options.insert((slug.clone(), option1.clone(), option2.clone()))
        {
            errors.push("variant_options".to_string());
        }
        // A file without the column keeps the variant's own GTIN.
        let variant_gtin = match found {
            Some(v) if !with_variant_gtin => v.gtin.clone(),
            _ => crate::catalog::gtin::normalize(&variant_gtin).unwrap_or_else(|_| {
                errors.push("gtin".to_string());
                String::new()
            }),
        };
        let stock_now = if sku.is_empty() {
            current
                .and_then(|p| per_product.get(&p.id))
                .and_then(|vs| vs.first().map(|v| v.stock))
        } else {
            found.map(|v| v.stock)
        };
        let stock = if stock_text.is_empty() {
            Some(stock_now.unwrap_or(0))
        } else {
            crate::catalog::stock::parse_stock(&stock_text)
        };
        if stock.is_none() {
            errors.push("stock".to_string());
        }
        let product = match (price, vat, category, active, featured, weight) {
            (Some(p), Some(v), Some(c), Some(a), Some(f), Some(Some(w))) => Some(ProductData {
                net_quantity: net.flatten(),
                brand,
                gtin,
                name: name.clone(),
                slug: slug.clone(),
                description,
                name_en,
                description_en,
                price_cents: p,
                vat_rate_bp: v.basis_points(),
                category_id: c,
                active: a,
                featured: f,
                option1_name,
                option2_name,
                option1_name_en,
                option2_name_en,
                weight_grams: w,
                // Not a column of the file: an import keeps what the back-office says.
                alcoholic: current.is_some_and(|p| p.alcoholic),
            }),
            _ => None,
        };
        // Rows after a product's first must agree with it on the product's own columns.
        match first_facts.get(&slug) {
            Some(first) if with_facts && *first != facts && facts.is_some() => {
                errors.push("product_differs".to_string());
            }
            Some(_) => {}
            None => {
                first_facts.insert(slug.clone(), facts.clone());
            }
        }
        let product = match (product, first_row.get(&slug)) {
            (Some(p), Some(first)) => {
                if !same_product(&p, first) {
                    errors.push("product_differs".to_string());
                }
                Some(first.clone())
            }
            (Some(p), None) => {
                first_row.insert(slug.clone(), p.clone());
                Some(p)
            }
            (None, _) => None,
        };
        let label = crate::catalog::variants::label_of(&option1, &option2);
        let data = match (
            product,
            stock,
            variant_price,
            variant_weight,
            variant_active,
        ) {
            (Some(product), Some(stock), Some(price_cents), Some(weight_grams), Some(on_sale))
                if errors.is_empty() =>
            {
                Some(RowData {
                    product,
                    existing: current.map(|p| p.id),
                    variant: (!sku.is_empty()).then(|| {
                        (
                            VariantData {
                                sku: sku.clone(),
                                option1,
                                option2,
                                price_cents,
                                weight_grams,
                                position: i32::try_from(line).unwrap_or(0),
                                gtin: variant_gtin,
                            },
                            existing_variant,
                        )
                    }),
                    variant_active: on_sale,
                    stock,
                    facts: facts.clone(),
                })
            }
            _ => None,
        };
        rows.push(RowPlan {
            line,
            action: if current.is_some() {
                "update"
            } else {
                "create"
            },
            price_cents: price.unwrap_or(Money::ZERO),
            stock: stock.unwrap_or(0),
            sku,
            variant: label,
            slug,
            name,
            errors,
            data,
        });
    }
    Ok(Ok(ImportPlan {
        errors: rows.iter().filter(|r| !r.errors.is_empty()).count(),
        creates: first_row
            .keys()
            .filter(|slug| !existing.contains_key(*slug))
            .count(),
        updates: first_row
            .keys()
            .filter(|slug| existing.contains_key(*slug))
            .count(),
        rows,
    }))
}

/// Whether two rows give a product the same columns of its own.
fn same_product(a: &ProductData, b: &ProductData) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
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
    Stock(#[from] crate::catalog::stock::StockError),
    #[error(transparent)]
    Variant(#[from] crate::catalog::variants::VariantError),
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
pub fn keep_pending(conn: &mut DbConn, token: &str, body: &str, actor: UserId) -> QueryResult<()> {
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
pub fn apply(conn: &mut DbConn, input: &str, actor: UserId) -> Result<ImportPlan, ImportError> {
    conn.write_tx(|c| {
        let plan = plan(c, input)?.map_err(ImportError::Unreadable)?;
        if plan.errors > 0 {
            return Err(ImportError::Invalid);
        }
        // Products created by this file, and whether their default variant is taken yet.
        let mut created: HashMap<String, (ProductId, bool)> = HashMap::new();
        let mut updated = std::collections::HashSet::new();
        for row in &plan.rows {
            let Some(data) = &row.data else {
                return Err(ImportError::Invalid);
            };
            let product_id = match (data.existing, created.get(&row.slug)) {
                (Some(id), _) => {
                    if updated.insert(id) {
                        manage::update_in(c, id, &data.product, actor)?;
                        if let Some(facts) = &data.facts {
                            crate::catalog::facts::save_in(c, id, facts, Some(actor))?;
                        }
                    }
                    id
                }
                (None, Some((id, _))) => *id,
                (None, None) => {
                    let id = manage::create_in(c, &data.product, 0, actor)?;
                    created.insert(row.slug.clone(), (id, false));
                    if let Some(facts) = &data.facts {
                        crate::catalog::facts::save_in(c, id, facts, Some(actor))?;
                    }
                    id
                }
            };
            let variant_id = match &data.variant {
                None => crate::catalog::variants::resolve(c, product_id, None)?,
                Some((vdata, Some(id))) => {
                    crate::catalog::variants::update_in(c, *id, vdata, actor)?;
                    *id
                }
                Some((vdata, None)) => match created.get_mut(&row.slug) {
                    // A new product's first variant is the default one it was created with.
                    Some((_, default_taken @ false)) => {
                        *default_taken = true;
                        let id = crate::catalog::variants::resolve(c, product_id, None)?;
                        crate::catalog::variants::update_in(c, id, vdata, actor)?;
                        id
                    }
                    _ => crate::catalog::variants::add_in(c, product_id, vdata, 0, actor)?,
                },
            };
            crate::catalog::stock::set_variant_active(c, variant_id, data.variant_active)?;
            let current = crate::catalog::variants::find(c, variant_id)?.stock;
            if current != data.stock {
                crate::catalog::stock::adjust_in(
                    c,
                    variant_id,
                    data.stock - current,
                    "CSV import",
                    actor,
                )?;
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
