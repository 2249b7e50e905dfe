//! Storefront pages: home, category listings, product pages, search.

use rocket::http::uri::Origin;
use rocket::http::ContentType;
use rocket::response::Redirect;
use rocket::{get, routes, FromForm, Route, State};
use serde::Serialize;

use crate::catalog::model::{self, Category, ListFilter, Listing, ProductCard, ProductPage, Sort};
use crate::catalog::redirects::{self, Found};
use crate::config::Settings;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::VariantId;
use crate::money::Money;
use crate::shipping::rates::{Offer, Parcel};
use crate::site::db::DbRef;
use crate::site::page::page_number;
use crate::site::page::pager_base;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Paged;
use crate::site::page::Reply;

/// Longest search query we look for; longer input is cut, not refused.
const MAX_QUERY: usize = 100;

pub fn routes() -> Vec<Route> {
    routes![home, category, product, search, media, thumbnail]
}

#[derive(Serialize)]
struct Home {
    categories: Vec<Department>,
    featured: Vec<ProductCard>,
}

/// A department on the home page, with its picture.
#[derive(Serialize)]
struct Department {
    #[serde(flatten)]
    category: Category,
    picture: Option<model::CardImage>,
}

#[get("/")]
async fn home(ctx: PageCtx<'_>) -> AppResult<Html> {
    if let Some(page) = ctx.cached().await? {
        return Ok(page);
    }
    let db = ctx.db().await?;
    let (categories, mut pictures, mut featured) = db
        .run(|c| -> diesel::QueryResult<_> {
            Ok((
                model::categories(c)?,
                model::department_pictures(c)?,
                model::featured(c, 8)?,
            ))
        })
        .await?;
    let lang = ctx.lang();
    let categories = categories
        .into_iter()
        .map(|mut category| {
            category.localize(lang);
            Department {
                picture: pictures.remove(&category.id),
                category,
            }
        })
        .collect();
    featured.iter_mut().for_each(|p| p.localize(lang));
    Ok(ctx.render_shared(
        "shop/home",
        Home {
            categories,
            featured,
        },
    ))
}

/// The sort and filters of a category page as the visitor chose them (kept in the form and in
/// the pager's links).
#[derive(Serialize, Default)]
struct Choices {
    sort: &'static str,
    sorts: Vec<&'static str>,
    in_stock: bool,
    min: String,
    max: String,
    /// A price that is not one: said, and left out of the filter.
    price_error: bool,
}

#[derive(Serialize)]
struct CategoryPage {
    category: Category,
    products: Paged<ProductCard>,
    choices: Choices,
    pager_base: String,
}

/// A price typed in a filter, in cents; `Err` when it is not one.
fn price(typed: &Option<String>) -> Result<Option<Money>, ()> {
    match typed.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Money::parse_euros(t).map(Some).ok_or(()),
    }
}

/// What a department page is asked for: which page, in what order, with what filters (a value
/// that does not read is left out, as if not given).
#[derive(Debug, FromForm)]
struct ListingQuery {
    page: Option<i64>,
    sort: Option<String>,
    in_stock: Option<bool>,
    min: Option<String>,
    max: Option<String>,
}

#[get("/categories/<slug>?<query..>")]
async fn category(
    ctx: PageCtx<'_>,
    uri: &Origin<'_>,
    settings: &State<Settings>,
    slug: String,
    query: ListingQuery,
) -> AppResult<Reply> {
    if let Some(page) = ctx.cached().await? {
        return Ok(Reply::Page(page));
    }
    let ListingQuery {
        page,
        sort,
        in_stock,
        min,
        max,
    } = query;
    let page = page_number(page);
    let per_page = settings.page_size;
    let (min_cents, max_cents) = (price(&min), price(&max));
    let filter = ListFilter {
        english: ctx.lang() == Lang::En,
        sort: sort.as_deref().and_then(Sort::parse).unwrap_or_default(),
        in_stock: in_stock.unwrap_or(false),
        min_cents: min_cents.unwrap_or(None),
        max_cents: max_cents.unwrap_or(None),
    };
    let choices = Choices {
        sort: filter.sort.as_str(),
        sorts: Sort::ALL.iter().map(|s| s.as_str()).collect(),
        in_stock: filter.in_stock,
        min: min.clone().unwrap_or_default().chars().take(20).collect(),
        max: max.clone().unwrap_or_default().chars().take(20).collect(),
        price_error: min_cents.is_err() || max_cents.is_err(),
    };
    let for_query = filter.clone();
    let found = ctx
        .db()
        .await?
        .run(move |c| -> diesel::QueryResult<_> {
            Ok(match redirects::category(c, &slug)? {
                Found::Here(category) => {
                    let listing = Listing::Category(category.id);
                    let items = model::list(c, &listing, &for_query, page, per_page)?;
                    Found::Here((category, items))
                }
                Found::Moved(to) => Found::Moved(to),
            })
        })
        .await?;
    let (mut category, (mut items, total)) = match found {
        Found::Here(found) => found,
        Found::Moved(to) => {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            return Ok(Reply::Redirect(Redirect::moved(format!(
                "/categories/{to}{query}"
            ))));
        }
    };
    let base = pager_base(&[
        (
            "sort",
            (filter.sort != Sort::Name).then(|| choices.sort.to_string()),
        ),
        ("in_stock", filter.in_stock.then(|| "true".to_string())),
        ("min", filter.min_cents.and(min)),
        ("max", filter.max_cents.and(max)),
    ]);
    category.localize(ctx.lang());
    items.iter_mut().for_each(|p| p.localize(ctx.lang()));
    let products = Paged::new(items, page, per_page, total);
    if let Some(last) = products.past_the_end() {
        let to = format!("/categories/{}{base}page={last}", category.slug);
        return Ok(Reply::Redirect(Redirect::to(to)));
    }
    Ok(Reply::Page(ctx.render_shared(
        "shop/category",
        CategoryPage {
            category,
            products,
            choices,
            pager_base: base,
        },
    )))
}

#[derive(Serialize)]
struct ProductView {
    #[serde(flatten)]
    page: ProductPage,
    /// For search engines and link previews.
    meta_description: String,
    og_image: Option<String>,
    json_ld: String,
    /// Each way to receive the product, priced for it alone.
    delivery: Vec<Offer>,
    /// The shop prices delivery by its settings (no methods of its own).
    flat_prices: bool,
}

#[get("/products/<slug>?<variant>")]
async fn product(
    ctx: PageCtx<'_>,
    settings: &State<Settings>,
    shop: &State<std::sync::Arc<crate::config::Shop>>,
    slug: String,
    variant: Option<VariantId>,
) -> AppResult<Reply> {
    if let Some(page) = ctx.cached().await? {
        return Ok(Reply::Page(page));
    }
    let db = ctx.db().await?;
    let (found, table) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let found = redirects::product(c, &slug, variant)?;
            Ok((found, crate::shipping::model::table(c, false)?))
        })
        .await?;
    let mut page: ProductPage = match found {
        Found::Here(page) => page,
        Found::Moved(to) => return Ok(Reply::Redirect(Redirect::moved(format!("/products/{to}")))),
    };
    // Each way to receive it, for this product alone sent to the mainland.
    let parcel = Parcel::to(None, "", i64::from(page.product.product.weight_grams), None);
    let delivery = table.offers(&shop.settings(), parcel, ctx.lang() == Lang::En);
    page.localize(ctx.lang());
    let base = settings.base_url.trim_end_matches('/');
    let description = &page.product.product.description;
    let mut meta_description: String = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if meta_description.chars().count() > 160 {
        meta_description = meta_description.chars().take(157).collect::<String>() + "…";
    }
    Ok(Reply::Page(
        ctx.render_shared(
            "shop/product",
            ProductView {
                meta_description,
                og_image: page
                    .images
                    .first()
                    .map(|i| format!("{base}/media/{}", i.file_name)),
                json_ld: crate::site::shop::seo::product_json_ld(&page, base),
                flat_prices: table.methods.is_empty(),
                delivery,
                page,
            },
        ),
    ))
}

#[derive(Serialize)]
struct SearchPage {
    q: String,
    products: Option<Paged<ProductCard>>,
    /// The query as corrected when the one typed found nothing ("did you mean").
    corrected: Option<String>,
}

#[get("/search?<q>&<page>")]
async fn search(
    ctx: PageCtx<'_>,
    settings: &State<Settings>,
    vocabulary: &State<std::sync::Arc<crate::catalog::search::VocabularyCache>>,
    q: Option<String>,
    page: Option<i64>,
) -> AppResult<Reply> {
    if let Some(page) = ctx.cached().await? {
        return Ok(Reply::Page(page));
    }
    let q: String = q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_QUERY)
        .collect();
    if q.is_empty() {
        let page = ctx.render_shared(
            "shop/search",
            SearchPage {
                q,
                products: None,
                corrected: None,
            },
        );
        return Ok(Reply::Page(page));
    }
    let page = page_number(page);
    let per_page = settings.page_size;
    let (query, cache) = (q.clone(), std::sync::Arc::clone(vocabulary));
    let lang = ctx.lang();
    let (mut items, total, corrected) = ctx
        .db()
        .await?
        .run(move |c| {
            crate::catalog::search::search(c, &cache, &query, lang == Lang::En, (page, per_page))
        })
        .await?;
    items.iter_mut().for_each(|p| p.localize(lang));
    let products = Paged::new(items, page, per_page, total);
    if let Some(last) = products.past_the_end() {
        let to = format!(
            "/search?q={}&page={last}",
            rocket::http::RawStr::new(&q).percent_encode()
        );
        return Ok(Reply::Redirect(Redirect::to(to)));
    }
    Ok(Reply::Page(ctx.render_shared(
        "shop/search",
        SearchPage {
            q,
            products: Some(products),
            corrected,
        },
    )))
}

/// Product pictures, from the database: names are random and never reused, so browsers may
/// keep them for a year.
#[derive(rocket::Responder)]
pub struct Media {
    bytes: (ContentType, Vec<u8>),
    cache: rocket::http::Header<'static>,
}

async fn serve_media(db: DbRef, name: &str, thumbnail: bool) -> AppResult<Option<Media>> {
    if !crate::catalog::images::valid_name(name) {
        return Ok(None);
    }
    let name = name.to_string();
    let found = db
        .run(move |c| crate::catalog::images::picture(c, &name, thumbnail))
        .await?;
    Ok(found.map(|(kind, bytes)| Media {
        bytes: (
            ContentType::parse_flexible(&kind).unwrap_or(ContentType::Binary),
            bytes,
        ),
        cache: rocket::http::Header::new("Cache-Control", "public, max-age=31536000, immutable"),
    }))
}

#[get("/media/<name>")]
async fn media(db: DbRef, name: &str) -> AppResult<Option<Media>> {
    serve_media(db, name, false).await
}

#[get("/media/thumbs/<name>")]
async fn thumbnail(db: DbRef, name: &str) -> AppResult<Option<Media>> {
    serve_media(db, name, true).await
}
