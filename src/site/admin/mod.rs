//! The back-office, staff only: every handler takes `Staff` or `Admin`. One file a resource.

pub mod audit;
pub mod bulk;
pub mod categories;
pub mod charts;
pub mod csv;
pub mod customers;
pub mod dashboard;
pub mod discount_form;
pub mod discounts;
pub mod emails;
pub mod facts;
pub mod facts_form;
pub mod images;
pub mod legal;
pub mod order_page;
pub mod orders;
pub mod products;
pub mod refunds;
pub mod sales;
pub mod settings;
pub mod shipping;
pub mod shipping_form;
pub mod staff;
pub mod stock_alerts;
pub mod variant_form;
pub mod variants;

use rocket::Route;

pub fn routes() -> Vec<Route> {
    let mut all = dashboard::routes();
    all.extend(orders::routes());
    all.extend(refunds::routes());
    all.extend(products::routes());
    all.extend(variants::routes());
    all.extend(stock_alerts::routes());
    all.extend(discounts::routes());
    all.extend(sales::routes());
    all.extend(facts::routes());
    all.extend(categories::routes());
    all.extend(customers::routes());
    all.extend(emails::routes());
    all.extend(audit::routes());
    all.extend(staff::routes());
    all.extend(images::routes());
    all.extend(csv::routes());
    all.extend(bulk::routes());
    all.extend(settings::routes());
    all.extend(shipping::routes());
    all.extend(legal::routes());
    all
}

/// Which way to move an item in an ordered list (`…/up`, `…/down` in the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl<'a> rocket::request::FromParam<'a> for Direction {
    type Error = &'a str;

    fn from_param(param: &'a str) -> Result<Self, Self::Error> {
        match param {
            "up" => Ok(Direction::Up),
            "down" => Ok(Direction::Down),
            other => Err(other),
        }
    }
}

/// The products a back-office form names, by slug or address, separated by commas, spaces or
/// lines (`/products/moutarde, confiture`).
pub fn product_slugs(typed: &str) -> Vec<String> {
    typed
        .split(|c: char| c == ',' || c.is_whitespace())
        .map(|s| s.trim().trim_start_matches("/products/").to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A percentage typed as `12,5`, `12.5` or `12 %`, in basis points (1250); none when it is not
/// a positive number with at most two decimals. Each form bounds it as its rule says.
pub fn percent_basis_points(typed: &str) -> Option<i64> {
    // "12,5" read as euros is 1250 cents: the basis points.
    crate::money::Money::parse_euros(typed.trim().trim_end_matches('%'))
        .map(crate::money::Money::cents)
        .filter(|bp| *bp > 0)
}

/// A list filter's date range typed as `YYYY-MM-DD`: from the start of `from` to the end of
/// `to` (inclusive), as `[start, end)` times; unreadable dates are ignored.
pub fn day_range(
    from: Option<&str>,
    to: Option<&str>,
) -> (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>) {
    use chrono::{NaiveDate, NaiveTime};
    let day =
        |s: Option<&str>| s.and_then(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    (
        day(from).map(|d| d.and_time(NaiveTime::MIN)),
        day(to)
            .and_then(|d| d.succ_opt())
            .map(|d| d.and_time(NaiveTime::MIN)),
    )
}

pub use crate::site::page::pager_base;

/// What an order's steps and refunds use of the server: the shop, the payment provider, the
/// mail sender's bell.
#[derive(Clone, Copy)]
pub struct Services<'r> {
    pub shop: &'r std::sync::Arc<crate::config::Shop>,
    pub payments: &'r crate::payments::Payments,
    pub waker: &'r crate::mail::MailWaker,
}

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for Services<'r> {
    type Error = ();

    async fn from_request(req: &'r rocket::Request<'_>) -> rocket::request::Outcome<Self, ()> {
        let rocket = req.rocket();
        match (
            rocket.state::<std::sync::Arc<crate::config::Shop>>(),
            rocket.state::<crate::payments::Payments>(),
            rocket.state::<crate::mail::MailWaker>(),
        ) {
            (Some(shop), Some(payments), Some(waker)) => {
                rocket::request::Outcome::Success(Services {
                    shop,
                    payments,
                    waker,
                })
            }
            _ => rocket::request::Outcome::Error((rocket::http::Status::InternalServerError, ())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_read_product_lists_and_percentages_alike() {
        assert_eq!(
            product_slugs("/products/moutarde, confiture\nmiel  "),
            vec!["moutarde", "confiture", "miel"]
        );
        assert_eq!(percent_basis_points("12,5"), Some(1250));
        assert_eq!(percent_basis_points(" 20 % "), Some(2000));
        assert_eq!(percent_basis_points("0"), None);
        assert_eq!(percent_basis_points("-5"), None);
        assert_eq!(percent_basis_points("abc"), None);
    }
}
