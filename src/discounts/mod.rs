//! Discount codes: a percentage, an amount or free shipping, on the basket, a department or
//! chosen products, with a minimum basket, a period and usage limits. The cart keeps the code;
//! the order's transaction claims a use; the totals function spreads it over the lines.

pub mod model;
pub mod rules;
