//! The catalogue: categories, products and their images, and the storefront pages.

pub mod alerts;
pub mod bulk;
pub mod categories;
pub mod csv_io;
pub mod facts;
pub mod gtin;
pub mod images;
pub mod manage;
pub mod model;
pub mod quantity;
pub mod redirects;
pub mod sales;
pub mod search;
pub mod stock;
pub mod variants;
