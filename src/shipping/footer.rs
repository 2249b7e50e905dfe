//! The ways to receive an order as every page's footer lists them: the shop's own methods and
//! pickup locations, each at its lightest parcel's price to the mainland; or, for a shop
//! without any, the flat prices of its settings.

use diesel::QueryResult;
use serde::Serialize;

use crate::config::Settings;
use crate::db::DbConn;
use crate::money::Money;
use crate::shipping::flat::Shipping;
use crate::shipping::model::table;
use crate::shipping::rates::Parcel;

/// A way to receive an order, as the footer lists it: a flat method by its code, or the
/// shop's own method or pickup location by its name; `from` when heavier parcels cost more.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryLine {
    pub code: String,
    pub name: Option<String>,
    pub cents: Money,
    pub from: bool,
}

/// The shop's own ways, read from the database; `None` for a shop without methods or
/// locations of its own (its footer then shows [`flat`], read live from the settings). Read
/// at start, when the catalogue's version moves, and after each change to them.
pub fn own(c: &mut DbConn, settings: &Settings) -> QueryResult<Option<Vec<DeliveryLine>>> {
    let table = table(c, false)?;
    if table.methods.is_empty() && table.pickups.is_empty() {
        return Ok(None);
    }
    let parcel = Parcel::to(None, "", 0, None);
    let lines = table
        .offers(settings, parcel, false)
        .into_iter()
        .map(|o| DeliveryLine {
            from: o
                .method_id
                .and_then(|id| table.methods.iter().find(|m| m.id == id))
                .is_some_and(|m| m.bands.len() > 1),
            code: o.code,
            name: o.name,
            cents: o.cents,
        })
        .collect();
    Ok(Some(lines))
}

/// The flat prices of the settings, as the footer lists them.
pub fn flat(settings: &Settings) -> Vec<DeliveryLine> {
    Shipping::choices(settings, None, None)
        .into_iter()
        .map(|c| DeliveryLine {
            code: c.code.to_string(),
            name: None,
            cents: c.cents,
            from: false,
        })
        .collect()
}
