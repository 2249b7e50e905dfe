//! All Diesel code for categories, products and product images.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{categories, product_images, products};
use crate::db::{Backend, DbConn};
use crate::i18n::Lang;
use crate::ids::{CategoryId, ProductId, VariantId};
use crate::money::Money;
use crate::text::contains_pattern;

/// Most units of one product a cart may hold (and a product page offers).
pub const MAX_QUANTITY: i32 = 99;

/// Stock at or below this shows "only N left".
pub const LOW_STOCK: i32 = 5;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    /// In English (empty: the French is shown).
    pub name_en: String,
    pub description_en: String,
}

impl Category {
    /// Its name and description in the visitor's language (French where English is missing).
    pub fn localize(&mut self, lang: Lang) {
        if lang == Lang::En {
            english(&mut self.name, &self.name_en);
            english(&mut self.description, &self.description_en);
        }
    }
}

/// The English text in place of the French one, when there is one.
fn english(text: &mut String, en: &str) {
    *text = crate::text::english_or(en, text).to_string();
}

#[derive(Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub name_en: &'a str,
    pub description_en: &'a str,
    pub position: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: ProductId,
    pub category_id: Option<CategoryId>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub price_cents: Money,
    pub vat_rate_bp: i32,
    pub stock: i32,
    pub active: bool,
    pub featured: bool,
    /// In English (empty: the French is shown).
    pub name_en: String,
    pub description_en: String,
    /// The names of its options ("Taille", "Couleur"); empty when it has none.
    pub option1_name: String,
    pub option2_name: String,
    pub weight_grams: i32,
    /// An alcoholic beverage: its page carries the health mention (code de la santé publique
    /// art. L3323-4) and a basket holding it asks the buyer's age (art. L3342-1).
    pub alcoholic: bool,
    /// Its options' names in English ("Size"); empty: the French is shown.
    pub option1_name_en: String,
    pub option2_name_en: String,
    /// Its net quantity in grams, millilitres or pieces (`catalog::quantity`).
    pub net_quantity: Option<i32>,
    pub net_unit: Option<String>,
    /// Its brand and GTIN (`catalog::gtin`); empty: none.
    pub brand: String,
    pub gtin: String,
}

impl Product {
    /// Its net quantity, when it is sold by quantity.
    pub fn net(&self) -> Option<crate::catalog::quantity::NetQuantity> {
        crate::catalog::quantity::NetQuantity::of(self.net_quantity, self.net_unit.as_deref())
    }

    /// Its name and description in the visitor's language (French where English is missing).
    pub fn localize(&mut self, lang: Lang) {
        if lang == Lang::En {
            english(&mut self.name, &self.name_en);
            english(&mut self.description, &self.description_en);
            english(&mut self.option1_name, &self.option1_name_en);
            english(&mut self.option2_name, &self.option2_name_en);
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = products)]
pub struct NewProduct<'a> {
    pub category_id: Option<CategoryId>,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub search_text: String,
    pub name_en: &'a str,
    pub description_en: &'a str,
    pub search_text_en: String,
    pub price_cents: Money,
    pub vat_rate_bp: i32,
    pub stock: i32,
    pub active: bool,
    pub featured: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub option1_name: &'a str,
    pub option2_name: &'a str,
    pub option1_name_en: &'a str,
    pub option2_name_en: &'a str,
    pub net_quantity: Option<i32>,
    pub net_unit: Option<&'a str>,
    pub brand: &'a str,
    pub gtin: &'a str,
    pub weight_grams: i32,
    pub alcoholic: bool,
}

/// What an edit from the back-office writes on a product row, created or changed (stock
/// changes only through adjustments, so it is not here).
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = products, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct ProductChanges<'a> {
    pub category_id: Option<CategoryId>,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub search_text: String,
    pub name_en: &'a str,
    pub description_en: &'a str,
    pub search_text_en: String,
    pub price_cents: Money,
    pub vat_rate_bp: i32,
    pub active: bool,
    pub featured: bool,
    pub updated_at: NaiveDateTime,
    pub option1_name: &'a str,
    pub option2_name: &'a str,
    pub option1_name_en: &'a str,
    pub option2_name_en: &'a str,
    pub net_quantity: Option<i32>,
    pub net_unit: Option<&'a str>,
    pub brand: &'a str,
    pub gtin: &'a str,
    pub weight_grams: i32,
    pub alcoholic: bool,
}

impl NewProduct<'_> {
    pub fn search_text_for(name: &str, description: &str) -> String {
        crate::text::search_key(name, description)
    }

    /// What an English visitor's search matches: the English name and description, each
    /// replaced by the French one where it is missing.
    pub fn search_text_en_for(
        name: &str,
        description: &str,
        name_en: &str,
        description_en: &str,
    ) -> String {
        use crate::text::english_or;
        crate::text::search_key(
            english_or(name_en, name),
            english_or(description_en, description),
        )
    }
}

/// How a product's stock is shown to customers.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Availability {
    In,
    Low,
    Out,
}

impl Availability {
    pub fn of(stock: i32) -> Availability {
        match stock {
            s if s <= 0 => Availability::Out,
            s if s <= LOW_STOCK => Availability::Low,
            _ => Availability::In,
        }
    }
}

/// A product as listings show it.
#[derive(Debug, Serialize)]
pub struct ProductCard {
    pub slug: String,
    /// In the visitor's language once [`ProductCard::localize`] has run.
    pub name: String,
    #[serde(skip)]
    pub name_en: String,
    /// What a unit costs now: the sale's price when it is on sale.
    pub price_cents: Money,
    pub sale: Option<crate::catalog::sales::OnSale>,
    /// Its price per kilogram, litre or piece, when sold by quantity.
    pub unit_price: Option<crate::catalog::quantity::UnitPrice>,
    pub stock: i32,
    pub availability: Availability,
    pub image: Option<CardImage>,
}

/// A listing's picture: the thumbnail, and the original for wide or dense screens.
#[derive(Debug, Serialize)]
pub struct CardImage {
    pub file_name: String,
    pub width: i32,
    pub height: i32,
    pub thumb_width: i32,
    pub thumb_height: i32,
}

impl CardImage {
    fn new(file_name: String, width: i32, height: i32) -> CardImage {
        let (thumb_width, thumb_height) = crate::catalog::images::thumb_size(width, height);
        CardImage {
            file_name,
            width,
            height,
            thumb_width,
            thumb_height,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ImageView {
    pub file_name: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
    pub thumb_width: i32,
}

/// A product with what customers are told about its stock.
#[derive(Debug, Serialize)]
pub struct ProductDetail {
    #[serde(flatten)]
    pub product: Product,
    pub availability: Availability,
    /// The most one can put in the cart at once.
    pub max_quantity: i32,
}

/// A variant a product page offers, as a link that shows it.
#[derive(Debug, Serialize)]
pub struct VariantChoice {
    pub id: VariantId,
    pub label: String,
    pub price_cents: Money,
    pub sold_out: bool,
    pub chosen: bool,
}

/// The variant a product page shows and its form adds to the cart.
#[derive(Debug, Serialize)]
pub struct ChosenVariant {
    pub id: VariantId,
    pub sku: String,
    pub label: String,
}

/// Everything the product page shows.
#[derive(Debug, Serialize)]
pub struct ProductPage {
    /// Priced, weighed and stocked as its chosen variant.
    pub product: ProductDetail,
    pub variant: Option<ChosenVariant>,
    /// The variants on sale to choose from (none for a product without options).
    pub variants: Vec<VariantChoice>,
    /// The sale its price comes from, if any.
    pub sale: Option<crate::catalog::sales::OnSale>,
    /// Its net quantity as customers read it ("50 cl"), and its price per kilogram, litre or
    /// piece at the price shown.
    pub net_quantity: Option<crate::catalog::quantity::NetQuantity>,
    /// The net quantity written for the visitor's language (set by [`ProductPage::localize`]).
    pub net_label: Option<String>,
    pub unit_price: Option<crate::catalog::quantity::UnitPrice>,
    pub category: Option<Category>,
    pub images: Vec<ImageView>,
    /// Who makes it and what it holds (`catalog::facts`), when the shop wrote any.
    pub facts: Option<crate::catalog::facts::FactsView>,
    /// Others from its department: in stock first, then featured, then newest.
    pub related: Vec<ProductCard>,
}

impl ProductCard {
    pub fn localize(&mut self, lang: Lang) {
        if lang == Lang::En {
            english(&mut self.name, &self.name_en);
        }
    }
}

impl ProductPage {
    /// Everything on the page in the visitor's language.
    pub fn localize(&mut self, lang: Lang) {
        self.product.product.localize(lang);
        self.net_label = self.net_quantity.map(|n| n.label(lang.code()));
        if let Some(facts) = &mut self.facts {
            facts.localize(lang);
        }
        if let Some(c) = &mut self.category {
            c.localize(lang);
        }
        for card in &mut self.related {
            card.localize(lang);
        }
    }
}

/// How many related products a product page shows.
pub const RELATED: i64 = 4;

pub fn categories(conn: &mut DbConn) -> QueryResult<Vec<Category>> {
    categories::table
        .order((categories::position, categories::name))
        .select(Category::as_select())
        .load(conn)
}

pub fn category_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<Category> {
    categories::table
        .filter(categories::slug.eq(slug))
        .select(Category::as_select())
        .first(conn)
}

/// Turns a page of products into cards, with one query for all their first images.
fn cards(conn: &mut DbConn, items: Vec<Product>) -> QueryResult<Vec<ProductCard>> {
    let ids: Vec<ProductId> = items.iter().map(|p| p.id).collect();
    let mut first_image: HashMap<ProductId, CardImage> = HashMap::new();
    if !ids.is_empty() {
        let rows: Vec<(ProductId, String, i32, i32)> = product_images::table
            .filter(product_images::product_id.eq_any(&ids))
            .order((product_images::product_id, product_images::position))
            .select((
                product_images::product_id,
                product_images::file_name,
                product_images::width,
                product_images::height,
            ))
            .load(conn)?;
        for (pid, file, width, height) in rows {
            first_image
                .entry(pid)
                .or_insert_with(|| CardImage::new(file, width, height));
        }
    }
    let sales = crate::catalog::sales::live(conn, &ids, crate::db::now())?;
    Ok(items
        .into_iter()
        .map(|p| {
            let sale = sales.get(&p.id).copied();
            let price_cents = sale.map_or(p.price_cents, |s| s.charge(p.price_cents));
            ProductCard {
                image: first_image.remove(&p.id),
                availability: Availability::of(p.stock),
                unit_price: p.net().map(|n| n.unit_price(price_cents)),
                price_cents,
                sale,
                slug: p.slug,
                name: p.name,
                name_en: p.name_en,
                stock: p.stock,
            }
        })
        .collect())
}

pub fn featured(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<ProductCard>> {
    let items = products::table
        .filter(products::active.eq(true))
        .filter(products::featured.eq(true))
        .order((products::created_at.desc(), products::id.desc()))
        .limit(limit)
        .select(Product::as_select())
        .load(conn)?;
    cards(conn, items)
}

/// Each department's picture: the first picture of its first featured product (one query,
/// as many rows as featured products have pictures — a handful chosen by staff).
pub fn department_pictures(conn: &mut DbConn) -> QueryResult<HashMap<CategoryId, CardImage>> {
    let rows: Vec<(Option<CategoryId>, String, i32, i32)> = product_images::table
        .inner_join(products::table)
        .filter(products::active.eq(true))
        .filter(products::featured.eq(true))
        .filter(products::category_id.is_not_null())
        .order((
            products::category_id,
            products::created_at,
            products::id,
            product_images::position,
            product_images::id,
        ))
        .select((
            products::category_id,
            product_images::file_name,
            product_images::width,
            product_images::height,
        ))
        .load(conn)?;
    let mut pictures = HashMap::new();
    for (category, file, width, height) in rows {
        if let Some(category) = category {
            pictures
                .entry(category)
                .or_insert_with(|| CardImage::new(file, width, height));
        }
    }
    Ok(pictures)
}

/// Where a listing's products come from.
#[derive(Debug, Clone)]
pub enum Listing {
    Category(CategoryId),
    Search(String),
}

/// How a listing is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Name,
    PriceAsc,
    PriceDesc,
    Newest,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Name, Sort::PriceAsc, Sort::PriceDesc, Sort::Newest];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Name => "name",
            Sort::PriceAsc => "price_asc",
            Sort::PriceDesc => "price_desc",
            Sort::Newest => "newest",
        }
    }

    pub fn parse(s: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What a visitor narrows a listing to.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Searched and sorted by name in English (else French).
    pub english: bool,
    pub sort: Sort,
    pub in_stock: bool,
    /// Prices, tax included, in cents.
    pub min_cents: Option<Money>,
    pub max_cents: Option<Money>,
}

/// One page of active products and the total count: two queries plus one for images.
/// The FTS5 query that finds the products whose folded key (English or French) contains the
/// folded `text`, as `LIKE '%text%'` does: one phrase of trigrams, which must follow each other
/// as in the key. `None` below three letters, which trigrams cannot index: those searches read
/// the table, as before.
pub fn search_index_query(text: &str, english: bool) -> Option<String> {
    let folded = crate::text::fold(text.trim());
    if folded.chars().count() < 3 {
        return None;
    }
    let column = if english {
        "search_text_en"
    } else {
        "search_text"
    };
    Some(format!("{column} : \"{}\"", folded.replace('"', "\"\"")))
}

pub fn list(
    conn: &mut DbConn,
    listing: &Listing,
    filter: &ListFilter,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<ProductCard>, i64)> {
    // SQLite searches through its trigram index (see `search_index_query`).
    let indexed = match listing {
        Listing::Search(text) if conn.backend() == Backend::Sqlite => {
            search_index_query(text, filter.english)
        }
        _ => None,
    };
    // What a unit costs now: a running sale's price where it is lower (`sales::OnSale::charge`),
    // so that sorting and filtering by price agree with the prices shown.
    let at = crate::db::now();
    let price_now = move || {
        use diesel::sql_types::{BigInt, Timestamp};
        diesel::dsl::sql::<BigInt>(
            "COALESCE((SELECT MIN(sale_products.price_cents) FROM sale_products \
             WHERE sale_products.product_id = products.id \
             AND sale_products.price_cents < products.price_cents \
             AND sale_products.starts_at <= ",
        )
        .bind::<Timestamp, _>(at)
        .sql(" AND sale_products.ends_at > ")
        .bind::<Timestamp, _>(at)
        .sql("), products.price_cents)")
    };
    let filtered = || {
        let mut q = products::table
            .filter(products::active.eq(true))
            .into_boxed();
        q = match listing {
            Listing::Category(id) => q.filter(products::category_id.eq(*id)),
            Listing::Search(_) if indexed.is_some() => q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "products.id IN (SELECT rowid FROM products_search WHERE products_search MATCH ",
                )
                .bind::<diesel::sql_types::Text, _>(indexed.clone().unwrap_or_default())
                .sql(")"),
            ),
            Listing::Search(text) if filter.english => q.filter(
                products::search_text_en
                    .like(contains_pattern(text))
                    .escape('\\'),
            ),
            Listing::Search(text) => q.filter(
                products::search_text
                    .like(contains_pattern(text))
                    .escape('\\'),
            ),
        };
        if filter.in_stock {
            q = q.filter(products::stock.gt(0));
        }
        if let Some(min) = filter.min_cents {
            q = q.filter(price_now().ge(min));
        }
        if let Some(max) = filter.max_cents {
            q = q.filter(price_now().le(max));
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let ordered = match filter.sort {
        // In English, by the folded English name (the search key starts with it).
        Sort::Name if filter.english => filtered().order((products::search_text_en, products::id)),
        Sort::Name => filtered().order((products::name, products::id)),
        Sort::PriceAsc => filtered().order((price_now(), products::id)),
        Sort::PriceDesc => filtered().order((price_now().desc(), products::id)),
        Sort::Newest => filtered().order(products::id.desc()),
    };
    let items = ordered
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(Product::as_select())
        .load(conn)?;
    Ok((cards(conn, items)?, total))
}

/// A product's page, showing the variant asked for (see [`crate::catalog::variants::chosen`]).
pub fn product_page(
    conn: &mut DbConn,
    slug: &str,
    asked: Option<VariantId>,
) -> QueryResult<ProductPage> {
    let (mut product, category) = products::table
        .left_join(categories::table)
        .filter(products::slug.eq(slug))
        .filter(products::active.eq(true))
        .select((Product::as_select(), Option::<Category>::as_select()))
        .first::<(Product, Option<Category>)>(conn)?;
    let variants = crate::catalog::variants::of_product(conn, product.id)?;
    let chosen = crate::catalog::variants::chosen(&variants, asked).cloned();
    let rows = product_images::table
        .filter(product_images::product_id.eq(product.id))
        .order((product_images::position, product_images::id))
        .select((
            product_images::file_name,
            product_images::alt,
            product_images::width,
            product_images::height,
            product_images::variant_id,
        ))
        .load::<(String, String, i32, i32, Option<VariantId>)>(conn)?;
    // The chosen variant's pictures first, then those of the whole product; other variants'
    // pictures show only with their variant.
    let chosen_id = chosen.as_ref().map(|v| v.id);
    let mut shown: Vec<_> = rows
        .iter()
        .filter(|r| r.4.is_some() && r.4 == chosen_id)
        .chain(rows.iter().filter(|r| r.4.is_none()))
        .collect();
    if shown.is_empty() {
        shown = rows.iter().collect();
    }
    let images = shown
        .into_iter()
        .map(|(file_name, alt, width, height, _)| ImageView {
            file_name: file_name.clone(),
            alt: alt.clone(),
            width: *width,
            height: *height,
            thumb_width: crate::catalog::images::thumb_size(*width, *height).0,
        })
        .collect();
    // The page shows the chosen variant's price, weight and stock.
    let stock = match &chosen {
        Some(v) if v.active => v.stock,
        Some(_) => 0,
        None => product.stock,
    };
    // A sale lowers the product's price; a variant with a price of its own keeps it.
    let sale = crate::catalog::sales::live(conn, &[product.id], crate::db::now())?
        .remove(&product.id)
        .filter(|_| chosen.as_ref().is_none_or(|v| v.price_cents.is_none()));
    if let Some(sale) = &sale {
        product.price_cents = sale.charge(product.price_cents);
    }
    if let Some(v) = &chosen {
        product.price_cents = v.price(product.price_cents);
        product.weight_grams = v.weight(product.weight_grams);
        // A variant's own barcode identifies it (each size its GTIN).
        if !v.gtin.is_empty() {
            product.gtin = v.gtin.clone();
        }
    }
    product.stock = stock;
    let choices = if product.option1_name.is_empty() {
        Vec::new()
    } else {
        variants
            .iter()
            .filter(|v| v.active)
            .map(|v| VariantChoice {
                id: v.id,
                label: v.label(),
                price_cents: v.price(product.price_cents),
                sold_out: v.stock <= 0,
                chosen: Some(v.id) == chosen_id,
            })
            .collect()
    };
    let related = match product.category_id {
        Some(category) => {
            // In stock first, then sold out; each part featured first, then newest. Two
            // queries that walk the department's index in that order and stop at `RELATED`,
            // instead of one that sorts the whole department (12,000 products at 100k).
            let part = |conn: &mut DbConn, in_stock: bool, limit: i64| {
                let q = products::table
                    .filter(products::category_id.eq(category))
                    .filter(products::active.eq(true))
                    .filter(products::id.ne(product.id))
                    .into_boxed();
                let q = if in_stock {
                    q.filter(products::stock.gt(0))
                } else {
                    q.filter(products::stock.le(0))
                };
                q.order((
                    products::featured.desc(),
                    products::created_at.desc(),
                    products::id.desc(),
                ))
                .limit(limit)
                .select(Product::as_select())
                .load(conn)
            };
            let mut others = part(conn, true, RELATED)?;
            if (others.len() as i64) < RELATED {
                let missing = RELATED - others.len() as i64;
                others.extend(part(conn, false, missing)?);
            }
            cards(conn, others)?
        }
        None => Vec::new(),
    };
    let net_quantity = product.net();
    let facts = crate::catalog::facts::for_page(conn, product.id)?;
    Ok(ProductPage {
        facts: (!facts.is_empty()).then_some(facts),
        unit_price: net_quantity.map(|n| n.unit_price(product.price_cents)),
        net_label: None,
        net_quantity,
        sale,
        product: ProductDetail {
            availability: Availability::of(stock),
            max_quantity: stock.clamp(0, MAX_QUANTITY),
            product,
        },
        variant: chosen.map(|v| ChosenVariant {
            label: v.label(),
            id: v.id,
            sku: v.sku,
        }),
        variants: choices,
        category,
        images,
        related,
    })
}

pub fn product_id_by_slug(conn: &mut DbConn, slug: &str) -> QueryResult<ProductId> {
    products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first(conn)
}

pub fn count_products(conn: &mut DbConn) -> QueryResult<i64> {
    products::table.count().get_result(conn)
}

/// Every department's id and the VAT rate of its first product (the demo's rate per
/// department), for generated products.
pub fn category_ids_and_vat(conn: &mut DbConn) -> QueryResult<Vec<(CategoryId, i32)>> {
    let ids: Vec<CategoryId> = categories::table
        .order(categories::id)
        .select(categories::id)
        .load(conn)?;
    ids.into_iter()
        .map(|id| {
            let vat = products::table
                .filter(products::category_id.eq(id))
                .select(products::vat_rate_bp)
                .first::<i32>(conn)
                .optional()?;
            Ok((id, vat.unwrap_or(2000)))
        })
        .collect()
}

pub fn insert_category(conn: &mut DbConn, new: &NewCategory<'_>) -> QueryResult<CategoryId> {
    diesel::insert_into(categories::table)
        .values(new)
        .returning(categories::id)
        .get_result(conn)
}

/// Inserts products, each with its default variant holding its stock.
pub fn insert_products(conn: &mut DbConn, new: &[NewProduct<'_>]) -> QueryResult<usize> {
    for p in new {
        let id: ProductId = diesel::insert_into(products::table)
            .values(p)
            .returning(products::id)
            .get_result(conn)?;
        crate::catalog::variants::create_default(conn, id, p.slug, p.stock, p.created_at)?;
    }
    Ok(new.len())
}

/// `(path, last change)` of every public page for the sitemap: home, departments, up to
/// `max_products` products on sale, the legal pages.
pub fn public_pages(
    c: &mut DbConn,
    max_products: i64,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    let mut pages: Vec<(String, Option<NaiveDateTime>)> = vec![("/".into(), None)];
    let departments: Vec<(String, NaiveDateTime)> = categories::table
        .order(categories::position)
        .select((categories::slug, categories::created_at))
        .load(c)?;
    pages.extend(
        departments
            .into_iter()
            .map(|(slug, at)| (format!("/categories/{slug}"), Some(at))),
    );
    let on_sale: Vec<(String, NaiveDateTime)> = products::table
        .filter(products::active.eq(true))
        .order(products::id)
        .limit(max_products)
        .select((products::slug, products::updated_at))
        .load(c)?;
    pages.extend(
        on_sale
            .into_iter()
            .map(|(slug, at)| (format!("/products/{slug}"), Some(at))),
    );
    pages.extend(
        crate::legal::Page::ALL
            .iter()
            .map(|p| (p.path().to_string(), None)),
    );
    Ok(pages)
}
