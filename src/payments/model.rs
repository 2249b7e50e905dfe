//! All Diesel code for `payments` (one per card order) and `payment_events` (each webhook
//! event once).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{payment_events, payments};
use crate::db::{is_unique_violation, now, text_enum, DbConn};
use crate::ids::{OrderId, PaymentId};
use crate::money::Money;

/// Where a card order's payment stands, as the shop has recorded it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Opened (or about to be) at the provider, not paid yet.
    Pending,
    Succeeded,
    /// The last attempt was refused; the customer may try again.
    Failed,
    Canceled,
    /// The provider reported something that does not match the order (amount, currency, a
    /// payment for a cancelled order): staff must look.
    Flagged,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 5] = [
        PaymentStatus::Pending,
        PaymentStatus::Succeeded,
        PaymentStatus::Failed,
        PaymentStatus::Canceled,
        PaymentStatus::Flagged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Flagged => "flagged",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

text_enum!(PaymentStatus);

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: PaymentId,
    pub order_id: OrderId,
    pub provider: String,
    pub intent_id: Option<String>,
    #[serde(skip)]
    pub client_secret: Option<String>,
    pub amount_cents: Money,
    pub currency: String,
    pub status: PaymentStatus,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The pending payment of a new card order (inside the order's transaction).
pub fn create_pending(
    conn: &mut DbConn,
    order_id: OrderId,
    provider: &str,
    amount_cents: Money,
) -> QueryResult<usize> {
    let now = now();
    diesel::insert_into(payments::table)
        .values((
            payments::order_id.eq(order_id),
            payments::provider.eq(provider),
            payments::amount_cents.eq(amount_cents),
            payments::currency.eq("eur"),
            payments::status.eq(PaymentStatus::Pending),
            payments::created_at.eq(now),
            payments::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn for_order(conn: &mut DbConn, order_id: OrderId) -> QueryResult<Option<Payment>> {
    payments::table
        .filter(payments::order_id.eq(order_id))
        .select(Payment::as_select())
        .first(conn)
        .optional()
}

pub fn by_intent(conn: &mut DbConn, intent_id: &str) -> QueryResult<Option<Payment>> {
    payments::table
        .filter(payments::intent_id.eq(intent_id))
        .select(Payment::as_select())
        .first(conn)
        .optional()
}

/// Records the provider's id and client secret, unless a concurrent request recorded one
/// first (then theirs stays). Returns the payment as it now is.
pub fn set_intent(
    conn: &mut DbConn,
    payment_id: PaymentId,
    intent_id: &str,
    client_secret: Option<&str>,
) -> QueryResult<Payment> {
    diesel::update(
        payments::table
            .find(payment_id)
            .filter(payments::intent_id.is_null()),
    )
    .set((
        payments::intent_id.eq(intent_id),
        payments::client_secret.eq(client_secret),
        payments::last_error.eq(None::<String>),
        payments::updated_at.eq(now()),
    ))
    .execute(conn)?;
    payments::table
        .find(payment_id)
        .select(Payment::as_select())
        .first(conn)
}

/// Notes why opening or confirming the payment did not work (shown to staff).
pub fn set_error(conn: &mut DbConn, payment_id: PaymentId, error: &str) -> QueryResult<usize> {
    let error: String = error.chars().take(500).collect();
    diesel::update(payments::table.find(payment_id))
        .set((
            payments::last_error.eq(Some(error)),
            payments::updated_at.eq(now()),
        ))
        .execute(conn)
}

/// Moves the payment to `to` (with an optional reason); returns whether it changed.
pub fn set_status(
    conn: &mut DbConn,
    payment_id: PaymentId,
    to: PaymentStatus,
    error: Option<&str>,
) -> QueryResult<bool> {
    let n = diesel::update(
        payments::table
            .find(payment_id)
            .filter(payments::status.ne(to)),
    )
    .set((
        payments::status.eq(to),
        payments::last_error.eq(error.map(|e| e.chars().take(500).collect::<String>())),
        payments::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n > 0)
}

/// Card payments still open that were opened before `before`, oldest first, with their
/// order's number (for the reconciliation task).
pub fn open_before(
    conn: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Payment>> {
    payments::table
        .filter(payments::status.eq_any([PaymentStatus::Pending, PaymentStatus::Failed]))
        .filter(payments::created_at.lt(before))
        .order(payments::id)
        .limit(limit)
        .select(Payment::as_select())
        .load(conn)
}

/// Stores a webhook event once; `false` when it was already stored (a replay).
pub fn record_event(
    conn: &mut DbConn,
    provider: &str,
    event_id: &str,
    kind: &str,
    order_id: Option<OrderId>,
    outcome: &str,
) -> QueryResult<bool> {
    // In a savepoint: on PostgreSQL a failed insert would spoil the caller's transaction.
    let inserted = conn.transaction(|c| {
        diesel::insert_into(payment_events::table)
            .values((
                payment_events::provider.eq(provider),
                payment_events::event_id.eq(event_id),
                payment_events::kind.eq(kind),
                payment_events::order_id.eq(order_id),
                payment_events::outcome.eq(outcome),
                payment_events::received_at.eq(now()),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// One line of an order's payment timeline.
#[derive(Debug, Serialize, Queryable)]
pub struct EventRow {
    pub kind: String,
    pub outcome: String,
    pub received_at: NaiveDateTime,
}

pub fn events_of(conn: &mut DbConn, order_id: OrderId) -> QueryResult<Vec<EventRow>> {
    payment_events::table
        .filter(payment_events::order_id.eq(order_id))
        .order(payment_events::id)
        .select((
            payment_events::kind,
            payment_events::outcome,
            payment_events::received_at,
        ))
        .load(conn)
}

/// What the event led to, once it has been applied.
pub fn set_event_outcome(
    conn: &mut DbConn,
    provider: &str,
    event_id: &str,
    order_id: Option<OrderId>,
    outcome: &str,
) -> QueryResult<usize> {
    diesel::update(
        payment_events::table
            .filter(payment_events::provider.eq(provider))
            .filter(payment_events::event_id.eq(event_id)),
    )
    .set((
        payment_events::order_id.eq(order_id),
        payment_events::outcome.eq(outcome),
    ))
    .execute(conn)
}

/// Card payments still open that were opened before `before` (what the reconciliation will
/// ask the provider about).
pub fn count_open_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<i64> {
    payments::table
        .filter(payments::status.eq_any([PaymentStatus::Pending, PaymentStatus::Failed]))
        .filter(payments::created_at.lt(before))
        .count()
        .get_result(conn)
}
