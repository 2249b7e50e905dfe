//! All Diesel code for `shipping_methods`, `shipping_rates`, `pickup_points` and
//! `order_shipping`. Every change by staff is audited in its transaction.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::db::now;
use crate::db::schema::{order_shipping, pickup_points, shipping_methods, shipping_rates};
use crate::db::DbConn;
use crate::ids::{MethodId, OrderId, PickupId, UserId};
use crate::money::Money;
use crate::shipping::rates::{Band, Basis, Method, Offer, Pickup, Table};
use crate::shipping::zones::Zone;

#[derive(Queryable)]
struct MethodRow {
    id: MethodId,
    name: String,
    name_en: String,
    zone: String,
    basis: String,
    express: bool,
    active: bool,
}

#[derive(Queryable)]
struct PickupRow {
    id: PickupId,
    name: String,
    street: String,
    postal_code: String,
    city: String,
    hours: String,
    hours_en: String,
    active: bool,
}

fn unknown(what: &str, value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("unknown {what} {value:?}").into())
}

/// The shop's methods with their bands and its pickup locations; only those on offer unless
/// `all` (the back-office). Three queries.
pub fn table(c: &mut DbConn, all: bool) -> QueryResult<Table> {
    let mut q = shipping_methods::table
        .order((shipping_methods::position, shipping_methods::id))
        .select((
            shipping_methods::id,
            shipping_methods::name,
            shipping_methods::name_en,
            shipping_methods::zone,
            shipping_methods::basis,
            shipping_methods::express,
            shipping_methods::active,
        ))
        .into_boxed();
    if !all {
        q = q.filter(shipping_methods::active.eq(true));
    }
    let rows: Vec<MethodRow> = q.load(c)?;
    let ids: Vec<MethodId> = rows.iter().map(|m| m.id).collect();
    let mut bands: HashMap<MethodId, Vec<Band>> = HashMap::new();
    if !ids.is_empty() {
        let rates: Vec<(MethodId, Option<i64>, Money)> = shipping_rates::table
            .filter(shipping_rates::method_id.eq_any(&ids))
            .order((shipping_rates::method_id, shipping_rates::id))
            .select((
                shipping_rates::method_id,
                shipping_rates::up_to,
                shipping_rates::price_cents,
            ))
            .load(c)?;
        for (method, up_to, price_cents) in rates {
            bands
                .entry(method)
                .or_default()
                .push(Band { up_to, price_cents });
        }
    }
    let methods = rows
        .into_iter()
        .map(|r| {
            Ok(Method {
                zone: Zone::parse(&r.zone).ok_or_else(|| unknown("zone", &r.zone))?,
                basis: Basis::parse(&r.basis).ok_or_else(|| unknown("basis", &r.basis))?,
                bands: bands.remove(&r.id).unwrap_or_default(),
                id: r.id,
                name: r.name,
                name_en: r.name_en,
                express: r.express,
                active: r.active,
            })
        })
        .collect::<QueryResult<Vec<Method>>>()?;
    let mut q = pickup_points::table
        .order((pickup_points::position, pickup_points::id))
        .select((
            pickup_points::id,
            pickup_points::name,
            pickup_points::street,
            pickup_points::postal_code,
            pickup_points::city,
            pickup_points::hours,
            pickup_points::hours_en,
            pickup_points::active,
        ))
        .into_boxed();
    if !all {
        q = q.filter(pickup_points::active.eq(true));
    }
    let pickups = q
        .load::<PickupRow>(c)?
        .into_iter()
        .map(|p| Pickup {
            id: p.id,
            name: p.name,
            street: p.street,
            postal_code: p.postal_code,
            city: p.city,
            hours: p.hours,
            hours_en: p.hours_en,
            active: p.active,
        })
        .collect();
    Ok(Table { methods, pickups })
}

/// A method as staff create it.
#[derive(Debug, Clone, Serialize)]
pub struct NewMethod {
    pub name: String,
    pub name_en: String,
    pub zone: Zone,
    pub basis: Basis,
    pub express: bool,
    pub bands: Vec<Band>,
}

pub fn create_method(
    conn: &mut DbConn,
    m: &NewMethod,
    actor: Option<UserId>,
) -> QueryResult<MethodId> {
    conn.write_tx(|c| {
        let position: Option<i32> = shipping_methods::table
            .select(diesel::dsl::max(shipping_methods::position))
            .first(c)?;
        let id: MethodId = diesel::insert_into(shipping_methods::table)
            .values((
                shipping_methods::name.eq(&m.name),
                shipping_methods::name_en.eq(&m.name_en),
                shipping_methods::zone.eq(m.zone.as_str()),
                shipping_methods::basis.eq(m.basis.as_str()),
                shipping_methods::express.eq(m.express),
                shipping_methods::active.eq(true),
                shipping_methods::position.eq(position.map_or(0, |p| p + 1)),
                shipping_methods::created_at.eq(now()),
            ))
            .returning(shipping_methods::id)
            .get_result(c)?;
        for b in &m.bands {
            diesel::insert_into(shipping_rates::table)
                .values((
                    shipping_rates::method_id.eq(id),
                    shipping_rates::up_to.eq(b.up_to),
                    shipping_rates::price_cents.eq(b.price_cents),
                ))
                .execute(c)?;
        }
        audit::Change::new(actor, "shipping.method_create", "shipping_method")
            .on(id)
            .after(m)
            .record(c)?;
        Ok(id)
    })
}

/// A pickup location as staff create it.
#[derive(Debug, Clone, Serialize)]
pub struct NewPickup {
    pub name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub hours: String,
    /// In English; empty: the French hours are shown.
    pub hours_en: String,
}

pub fn create_pickup(
    conn: &mut DbConn,
    p: &NewPickup,
    actor: Option<UserId>,
) -> QueryResult<PickupId> {
    conn.write_tx(|c| {
        let position: Option<i32> = pickup_points::table
            .select(diesel::dsl::max(pickup_points::position))
            .first(c)?;
        let id: PickupId = diesel::insert_into(pickup_points::table)
            .values((
                pickup_points::name.eq(&p.name),
                pickup_points::street.eq(&p.street),
                pickup_points::postal_code.eq(&p.postal_code),
                pickup_points::city.eq(&p.city),
                pickup_points::hours.eq(&p.hours),
                pickup_points::hours_en.eq(&p.hours_en),
                pickup_points::active.eq(true),
                pickup_points::position.eq(position.map_or(0, |p| p + 1)),
                pickup_points::created_at.eq(now()),
            ))
            .returning(pickup_points::id)
            .get_result(c)?;
        audit::Change::new(actor, "shipping.pickup_create", "pickup_point")
            .on(id)
            .after(p)
            .record(c)?;
        Ok(id)
    })
}

/// Offers a method or stops offering it (orders that chose it keep its name).
pub fn set_method_active(
    conn: &mut DbConn,
    id: MethodId,
    active: bool,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        let n = diesel::update(shipping_methods::table.find(id))
            .set(shipping_methods::active.eq(active))
            .execute(c)?;
        if n == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        audit::Change::new(Some(actor), "shipping.method_active", "shipping_method")
            .on(id)
            .after(&serde_json::json!({ "active": active }))
            .record(c)?;
        Ok(())
    })
}

/// Opens a pickup location to orders or closes it.
pub fn set_pickup_active(
    conn: &mut DbConn,
    id: PickupId,
    active: bool,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        let n = diesel::update(pickup_points::table.find(id))
            .set(pickup_points::active.eq(active))
            .execute(c)?;
        if n == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        audit::Change::new(Some(actor), "shipping.pickup_active", "pickup_point")
            .on(id)
            .after(&serde_json::json!({ "active": active }))
            .record(c)?;
        Ok(())
    })
}

/// Keeps how an order travels, as chosen (in the order's transaction). A flat method of the
/// settings has nothing to keep beyond the order's own columns.
pub fn record_order(
    c: &mut DbConn,
    order_id: OrderId,
    offer: &Offer,
    weight_grams: i64,
) -> QueryResult<()> {
    let Some(label) = offer.label() else {
        return Ok(());
    };
    diesel::insert_into(order_shipping::table)
        .values((
            order_shipping::order_id.eq(order_id),
            order_shipping::method_id.eq(offer.method_id),
            order_shipping::pickup_point_id.eq(offer.pickup_id),
            order_shipping::label.eq(label),
            order_shipping::pickup_hours.eq(offer.hours.clone().unwrap_or_default()),
            order_shipping::weight_grams.eq(i32::try_from(weight_grams).unwrap_or(i32::MAX)),
        ))
        .execute(c)?;
    Ok(())
}

/// How each of these orders travels, as the order pages name it: `(label, pickup hours)`.
pub fn labels(
    c: &mut DbConn,
    order_ids: &[OrderId],
) -> QueryResult<HashMap<OrderId, (String, String)>> {
    if order_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(order_shipping::table
        .filter(order_shipping::order_id.eq_any(order_ids))
        .select((
            order_shipping::order_id,
            order_shipping::label,
            order_shipping::pickup_hours,
        ))
        .load::<(OrderId, String, String)>(c)?
        .into_iter()
        .map(|(id, label, hours)| (id, (label, hours)))
        .collect())
}
