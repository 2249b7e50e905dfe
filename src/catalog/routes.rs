//! Storefront pages: home, category listings, product pages, search.

use rocket::{get, routes, Route, State};
use serde::Serialize;

use super::model::{self, Category, Listing, ProductCard, ProductPage};
use crate::config::Settings;
use crate::db::Db;
use crate::error::AppResult;
use crate::web::{page_number, Html, PageCtx, Paged};

/// Longest search query we look for; longer input is cut, not refused.
const MAX_QUERY: usize = 100;

pub fn routes() -> Vec<Route> {
    routes![home, category, product, search]
}

#[derive(Serialize)]
struct Home {
    categories: Vec<Category>,
    featured: Vec<ProductCard>,
}

#[get("/")]
async fn home(db: Db, ctx: PageCtx<'_>) -> AppResult<Html> {
    let (categories, featured) = db
        .run(|c| -> diesel::QueryResult<_> { Ok((model::categories(c)?, model::featured(c, 8)?)) })
        .await?;
    Ok(ctx.render(
        "shop/home",
        Home {
            categories,
            featured,
        },
    ))
}

#[derive(Serialize)]
struct CategoryPage {
    category: Category,
    products: Paged<ProductCard>,
}

#[get("/categories/<slug>?<page>")]
async fn category(
    db: Db,
    ctx: PageCtx<'_>,
    settings: &State<Settings>,
    slug: String,
    page: Option<i64>,
) -> AppResult<Html> {
    let page = page_number(page);
    let per_page = settings.page_size;
    let (category, (items, total)) = db
        .run(move |c| -> diesel::QueryResult<_> {
            let category = model::category_by_slug(c, &slug)?;
            let listing = model::list(c, &Listing::Category(category.id), page, per_page)?;
            Ok((category, listing))
        })
        .await?;
    Ok(ctx.render(
        "shop/category",
        CategoryPage {
            category,
            products: Paged::new(items, page, per_page, total),
        },
    ))
}

#[get("/products/<slug>")]
async fn product(db: Db, ctx: PageCtx<'_>, slug: String) -> AppResult<Html> {
    let page: ProductPage = db.run(move |c| model::product_page(c, &slug)).await?;
    Ok(ctx.render("shop/product", page))
}

#[derive(Serialize)]
struct SearchPage {
    q: String,
    products: Option<Paged<ProductCard>>,
}

#[get("/search?<q>&<page>")]
async fn search(
    db: Db,
    ctx: PageCtx<'_>,
    settings: &State<Settings>,
    q: Option<String>,
    page: Option<i64>,
) -> AppResult<Html> {
    let q: String = q
        .unwrap_or_default()
        .trim()
        .chars()
        .take(MAX_QUERY)
        .collect();
    if q.is_empty() {
        return Ok(ctx.render("shop/search", SearchPage { q, products: None }));
    }
    let page = page_number(page);
    let per_page = settings.page_size;
    let listing = Listing::Search(q.clone());
    let (items, total) = db
        .run(move |c| model::list(c, &listing, page, per_page))
        .await?;
    Ok(ctx.render(
        "shop/search",
        SearchPage {
            q,
            products: Some(Paged::new(items, page, per_page, total)),
        },
    ))
}
