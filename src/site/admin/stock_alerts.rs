//! The demand behind sold-out products: who waits for which product to come back.

use rocket::{get, routes, Route};
use serde::Serialize;

use crate::catalog::alerts::{self, Demand};
use crate::error::AppResult;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![stock_alerts]
}

#[get("/stock/alerts")]
async fn stock_alerts(db: DbRef, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    let lang = ctx.lang();
    #[derive(Serialize)]
    struct Page {
        products: Vec<Demand>,
    }
    let products = db.run(move |c| alerts::demand(c, lang)).await?;
    Ok(ctx.render("admin/products/alerts", Page { products }))
}
