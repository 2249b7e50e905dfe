//! The web wing: everything that knows Rocket. Handlers (one file a page or resource, in
//! `shop/`, `account/`, `checkout/` and `admin/`), the request guards (the visitor and the
//! roles, CSRF), the page context and its replies, error pages, the page cache, assets, the
//! request's database connection and the background tasks the server runs. Below it, the shop's
//! areas know nothing of HTTP.

pub mod account;
pub mod admin;
pub mod assets;
pub mod background;
pub mod catchers;
pub mod checkout;
pub mod csrf;
pub mod db;
pub mod error;
pub mod forms;
pub mod guards;
pub mod headers;
pub mod health;
pub mod logs;
pub mod page;
pub mod page_cache;
pub mod params;
pub mod shop;
pub mod tasks;
pub mod visitor;

use rocket::Route;

/// Every route of the storefront, the account, checkout and operations (mounted at `/`); the
/// back-office's are [`admin::routes`] (mounted at `/admin`).
pub fn routes() -> Vec<Route> {
    let mut all = shop::routes();
    all.extend(account::routes());
    all.extend(checkout::routes());
    all.extend(health::routes());
    all.push(rocket::routes![assets::static_file].remove(0));
    all
}
