//! The back-office dashboard.

use crate::web::Html;
use rocket::{get, routes, Route};
use serde::Serialize;

use crate::accounts::model as accounts;
use crate::auth::Staff;
use crate::catalog::model as catalog;
use crate::db::Db;
use crate::error::AppResult;
use crate::web::PageCtx;

pub fn routes() -> Vec<Route> {
    routes![dashboard]
}

#[derive(Serialize)]
struct Dashboard {
    products: i64,
    categories: usize,
    users_by_role: Vec<(String, i64)>,
}

#[get("/")]
async fn dashboard(db: Db, ctx: PageCtx<'_>, _staff: Staff) -> AppResult<Html> {
    let page = db
        .run(|c| -> diesel::QueryResult<_> {
            Ok(Dashboard {
                products: catalog::count_products(c)?,
                categories: catalog::categories(c)?.len(),
                users_by_role: accounts::count_by_role(c)?,
            })
        })
        .await?;
    Ok(ctx.render("admin/dashboard", page))
}
