//! The back-office dashboard: sales for today, 7 and 30 days, top products, low stock,
//! failed emails, and two charts drawn as SVG on the server.

use std::sync::Arc;

use rocket::{get, routes, Route, State};
use serde::Serialize;

use crate::catalog::manage::{self, ProductFilter, ProductSort};
use crate::catalog::model::Product;
use crate::config::Shop;
use crate::error::AppResult;
use crate::mail::outbox::{self, OutboxMessage};
use crate::money::Money;
use crate::orders::stats::{self, Period, TopProduct};
use crate::site::admin::charts;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::visitor::Staff;

pub fn routes() -> Vec<Route> {
    routes![dashboard]
}

#[derive(Serialize)]
struct Dashboard {
    periods: Vec<Period>,
    top: Vec<TopProduct>,
    low_stock: Vec<Product>,
    low_stock_total: i64,
    failed_emails: Vec<OutboxMessage>,
    /// Orders withdrawn from and not refunded yet, with the date the money must be back by.
    withdrawals: Vec<(String, chrono::NaiveDateTime)>,
    revenue_chart: String,
    status_chart: String,
    /// "Before you open": what only the owner can supply and the legal pages still lack
    /// (`legal::facts`), as message keys of their labels and their settings' fields.
    before_open: Vec<(&'static str, &'static str)>,
}

#[get("/")]
async fn dashboard(
    db: DbRef,
    ctx: PageCtx<'_>,
    _staff: Staff,
    shop: &State<Arc<Shop>>,
) -> AppResult<Html> {
    let before_open = crate::legal::facts::missing(&shop.settings())
        .into_iter()
        .map(|f| (f.label, f.setting))
        .collect();
    let (sales, (low_stock, low_stock_total), failed_emails, withdrawals) = db
        .run(|c| -> diesel::QueryResult<_> {
            let low = ProductFilter {
                low_stock: Some(crate::site::admin::products::LOW_STOCK_DEFAULT),
                active: Some(true),
                sort: ProductSort::StockAsc,
                ..ProductFilter::default()
            };
            Ok((
                stats::sales(c)?,
                manage::list(c, &low, 1, 10)?,
                outbox::failed(c, 10)?,
                crate::orders::withdrawals::awaiting_refund(c, 20)?,
            ))
        })
        .await?;
    let lang = ctx.lang();
    let per_day: Vec<(String, i64)> = sales
        .per_day
        .iter()
        .map(|(d, v)| (d.format("%d/%m").to_string(), v.cents()))
        .collect();
    let by_status: Vec<(String, i64)> = sales
        .by_status
        .iter()
        .map(|(s, n)| (lang.t(&format!("status-{}", s.as_str())), *n))
        .collect();
    let money = move |v: i64| Money(v).format(lang.code());
    Ok(ctx.render(
        "admin/dashboard",
        Dashboard {
            revenue_chart: charts::bars(&lang.t("admin-chart-revenue"), &per_day, &money),
            status_chart: charts::rows(&lang.t("admin-chart-status"), &by_status),
            periods: sales.periods,
            top: sales.top,
            low_stock,
            low_stock_total,
            failed_emails,
            withdrawals,
            before_open,
        },
    ))
}
