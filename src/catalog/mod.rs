//! The catalogue: categories, products and their images, and the storefront pages.

pub mod alert_routes;
pub mod alerts;
pub mod bulk;
pub mod categories;
pub mod csv_io;
pub mod images;
pub mod manage;
pub mod model;
pub mod redirects;
pub mod routes;
pub mod search;
pub mod seo;
pub mod stock;
pub mod variants;

pub use routes::routes;
