//! Shipping: the zones of addresses, the shop's delivery methods priced by weight or basket
//! value in each zone, its pickup locations, and how each order travels.

pub mod flat;
pub mod footer;
pub mod model;
pub mod rates;
pub mod zones;

pub use zones::Zone;
