//! The storefront: home, departments, product pages, search, the cart, back-in-stock alerts,
//! legal pages, and what search engines read.

pub mod alerts;
pub mod cart;
pub mod catalog;
pub mod legal;
pub mod seo;

pub fn routes() -> Vec<rocket::Route> {
    let mut all = catalog::routes();
    all.extend(cart::routes());
    all.extend(alerts::routes());
    all.extend(legal::routes());
    all.extend(seo::routes());
    all
}
