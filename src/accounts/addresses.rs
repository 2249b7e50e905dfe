//! A customer's shipping addresses, remembered at checkout and offered the next time.

use diesel::prelude::*;
use serde::Serialize;

use crate::address::Address;
use crate::db::now;
use crate::db::schema::addresses;
use crate::db::DbConn;
use crate::ids::UserId;

/// An address of the customer's book.
#[derive(Debug, Clone, Serialize)]
pub struct SavedAddress {
    pub id: i64,
    #[serde(flatten)]
    pub address: Address,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = addresses)]
struct Row {
    id: i64,
    full_name: String,
    street: String,
    postal_code: String,
    city: String,
    country: String,
    phone: Option<String>,
}

impl From<Row> for SavedAddress {
    fn from(r: Row) -> SavedAddress {
        SavedAddress {
            id: r.id,
            address: Address {
                full_name: r.full_name,
                street: r.street,
                postal_code: r.postal_code,
                city: r.city,
                country: r.country,
                phone: r.phone,
            },
        }
    }
}

/// Every address of a customer, in the order they were kept.
pub fn of_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<Vec<SavedAddress>> {
    Ok(addresses::table
        .filter(addresses::user_id.eq(user_id))
        .order(addresses::id)
        .select(Row::as_select())
        .load(conn)?
        .into_iter()
        .map(SavedAddress::from)
        .collect())
}

/// The most recently used address, to prefill the checkout.
pub fn latest(conn: &mut DbConn, user_id: UserId) -> QueryResult<Option<SavedAddress>> {
    addresses::table
        .filter(addresses::user_id.eq(user_id))
        .order(addresses::id.desc())
        .select(Row::as_select())
        .first(conn)
        .optional()
        .map(|row| row.map(SavedAddress::from))
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
