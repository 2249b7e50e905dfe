//! The customer's rights over their data (GDPR articles 15, 17, 20): a JSON copy of all the
//! shop holds about them, and erasure. Orders stay for the shop's accounting, anonymised: the
//! name, street, phone and email go; the amounts, lines, country and postal code (which the
//! VAT territory depends on) stay.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::model::{self, User};
use crate::audit;
use crate::db::now;
use crate::db::schema::{
    email_outbox, login_attempts, orders, products, sessions, stock_alerts, users,
};
use crate::db::DbConn;
use crate::ids::UserId;
use crate::orders::model::{self as order_model, OrderView};

#[derive(Serialize)]
pub struct Export {
    pub exported_at: NaiveDateTime,
    pub account: User,
    pub addresses: Vec<crate::accounts::addresses::SavedAddress>,
    pub orders: Vec<OrderView>,
    pub sessions: Vec<SessionRecord>,
    pub emails: Vec<EmailRecord>,
    pub stock_alerts: Vec<AlertRecord>,
}

/// A back-in-stock alert asked with the account's address.
#[derive(Serialize, Queryable)]
pub struct AlertRecord {
    pub product: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub notified_at: Option<NaiveDateTime>,
}

#[derive(Serialize, Queryable)]
pub struct SessionRecord {
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub user_agent: Option<String>,
}

#[derive(Serialize, Queryable)]
pub struct EmailRecord {
    pub kind: String,
    pub subject: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// Everything about one account, in a fixed number of queries.
pub fn export(conn: &mut DbConn, user_id: UserId) -> QueryResult<Export> {
    let account = model::find(conn, user_id)?;
    let addresses = crate::accounts::addresses::of_user(conn, user_id)?;
    let placed = order_model::for_user(conn, user_id)?;
    let orders = order_model::views_of(conn, placed)?;
    let sessions = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .order(sessions::id)
        .select((
            sessions::created_at,
            sessions::last_seen_at,
            sessions::user_agent,
        ))
        .load(conn)?;
    let emails = email_outbox::table
        .filter(email_outbox::to_address.eq(&account.email))
        .order(email_outbox::id)
        .select((
            email_outbox::kind,
            email_outbox::subject,
            email_outbox::created_at,
            email_outbox::sent_at,
        ))
        .load(conn)?;
    let stock_alerts = stock_alerts::table
        .inner_join(products::table)
        .filter(
            stock_alerts::user_id
                .eq(user_id)
                .or(stock_alerts::email.eq(&account.email)),
        )
        .order(stock_alerts::id)
        .select((
            products::name,
            stock_alerts::created_at,
            stock_alerts::confirmed_at,
            stock_alerts::notified_at,
        ))
        .load(conn)?;
    Ok(Export {
        exported_at: now(),
        account,
        addresses,
        orders,
        sessions,
        emails,
        stock_alerts,
    })
}

/// Erases a customer account in one transaction: orders anonymised and kept, the account,
/// its addresses, sessions, tokens, cart, login attempts and emails removed.
pub fn erase(conn: &mut DbConn, user_id: UserId) -> QueryResult<usize> {
    conn.write_tx(|c| {
        let user = model::find(c, user_id)?;
        // Their orders, and the guest orders placed with the same address: one anonymisation.
        let theirs = orders::user_id.eq(user_id).or(orders::user_id
            .is_null()
            .and(orders::email.eq(&user.email))
            .nullable());
        let anonymised = diesel::update(orders::table.filter(theirs))
            .set((
                orders::user_id.eq(None::<i64>),
                orders::email.eq("anonymised@invalid"),
                orders::ship_name.eq("—"),
                orders::ship_street.eq("—"),
                orders::ship_city.eq("—"),
                orders::ship_phone.eq(None::<String>),
                orders::updated_at.eq(now()),
            ))
            .execute(c)?;
        diesel::delete(email_outbox::table.filter(email_outbox::to_address.eq(&user.email)))
            .execute(c)?;
        diesel::delete(login_attempts::table.filter(login_attempts::email.eq(&user.email)))
            .execute(c)?;
        diesel::delete(stock_alerts::table.filter(stock_alerts::email.eq(&user.email)))
            .execute(c)?;
        // Addresses, sessions, tokens, cart, recovery codes and stock alerts follow by ON DELETE CASCADE.
        diesel::delete(users::table.find(user_id)).execute(c)?;
        audit::Change::new(None, "user.erase", "user")
            .on(user_id)
            .after(&serde_json::json!({ "orders_anonymised": anonymised }))
            .record(c)?;
        Ok(anonymised)
    })
}
