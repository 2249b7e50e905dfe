//! A customer's shipping addresses, remembered at checkout and offered the next time.

use diesel::prelude::*;
use serde::Serialize;

use crate::address::Address;
use crate::db::now;
use crate::db::schema::addresses;
use crate::db::DbConn;
use crate::ids::UserId;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = addresses)]
pub struct SavedAddress {
    pub id: i64,
    pub full_name: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub phone: Option<String>,
}

/// The most recently used address, to prefill the checkout.
pub fn latest(conn: &mut DbConn, user_id: UserId) -> QueryResult<Option<SavedAddress>> {
    addresses::table
        .filter(addresses::user_id.eq(user_id))
        .order(addresses::id.desc())
        .select(SavedAddress::as_select())
        .first(conn)
        .optional()
}

/// Keeps the address of an order unless the customer already has the very same one.
pub fn remember(conn: &mut DbConn, user_id: UserId, d: &Address) -> QueryResult<()> {
    // The same address used again moves to the front: the latest is offered next time.
    diesel::delete(
        addresses::table
            .filter(addresses::user_id.eq(user_id))
            .filter(addresses::full_name.eq(&d.full_name))
            .filter(addresses::street.eq(&d.street))
            .filter(addresses::postal_code.eq(&d.postal_code))
            .filter(addresses::city.eq(&d.city))
            .filter(addresses::country.eq(&d.country)),
    )
    .execute(conn)?;
    diesel::insert_into(addresses::table)
        .values((
            addresses::user_id.eq(user_id),
            addresses::full_name.eq(&d.full_name),
            addresses::street.eq(&d.street),
            addresses::postal_code.eq(&d.postal_code),
            addresses::city.eq(&d.city),
            addresses::country.eq(&d.country),
            addresses::phone.eq(d.phone.as_deref()),
            addresses::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
