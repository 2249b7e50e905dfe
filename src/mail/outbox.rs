//! All Diesel code for `email_outbox` and its `email_attachments`: enqueue (inside the
//! caller's transaction), claim due messages, and record the outcome of each attempt.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::now;
use crate::db::schema::{email_attachments, email_outbox};
use crate::db::{text_enum, DbConn};
use crate::ids::{OrderId, OutboxId};
use crate::templates::Email;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = email_outbox)]
pub struct OutboxMessage {
    pub id: OutboxId,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub order_id: Option<OrderId>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// Where a message is in its delivery.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, diesel::AsExpression, diesel::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its (next) attempt.
    Queued,
    /// Handed to SMTP by a sender that has not recorded the outcome yet. After a crash it is
    /// sent again once its lease ends: at worst that one message twice, with the same
    /// Message-ID, which mail clients recognise.
    Sending,
    Sent,
    /// Refused for good, or out of attempts: staff see it and may send it again.
    Failed,
}

impl MailStatus {
    pub const ALL: [MailStatus; 4] = [
        MailStatus::Queued,
        MailStatus::Sending,
        MailStatus::Sent,
        MailStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sending => "sending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MailStatus> {
        MailStatus::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

text_enum!(MailStatus);

#[derive(Insertable)]
#[diesel(table_name = email_outbox)]
struct NewMessage<'a> {
    kind: &'a str,
    to_address: &'a str,
    subject: &'a str,
    body_text: &'a str,
    body_html: &'a str,
    status: MailStatus,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    order_id: Option<OrderId>,
    created_at: NaiveDateTime,
}

pub fn enqueue(
    conn: &mut DbConn,
    email: &Email,
    order_id: Option<OrderId>,
) -> QueryResult<OutboxId> {
    enqueue_at(conn, email, order_id, now())
}

/// [`enqueue`], to leave no sooner than `not_before`.
pub fn enqueue_at(
    conn: &mut DbConn,
    email: &Email,
    order_id: Option<OrderId>,
    not_before: NaiveDateTime,
) -> QueryResult<OutboxId> {
    let now = now();
    diesel::insert_into(email_outbox::table)
        .values(NewMessage {
            kind: email.kind.as_str(),
            to_address: &email.to,
            subject: &email.subject,
            body_text: &email.text,
            body_html: &email.html,
            status: MailStatus::Queued,
            attempts: 0,
            next_attempt_at: not_before,
            order_id,
            created_at: now,
        })
        .returning(email_outbox::id)
        .get_result(conn)
}

/// A file an email carries.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = email_attachments)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// Attaches a file to a queued message (inside the transaction that queued it).
pub fn attach(conn: &mut DbConn, outbox_id: OutboxId, file: &Attachment) -> QueryResult<usize> {
    diesel::insert_into(email_attachments::table)
        .values((
            email_attachments::outbox_id.eq(outbox_id),
            email_attachments::filename.eq(&file.filename),
            email_attachments::content_type.eq(&file.content_type),
            email_attachments::data.eq(&file.data),
        ))
        .execute(conn)
}

pub fn attachments_of(conn: &mut DbConn, outbox_id: OutboxId) -> QueryResult<Vec<Attachment>> {
    email_attachments::table
        .filter(email_attachments::outbox_id.eq(outbox_id))
        .order(email_attachments::id)
        .select(Attachment::as_select())
        .load(conn)
}

/// Ids of queued messages that are due. On PostgreSQL the rows are locked with
/// `SKIP LOCKED`, so several server processes never claim the same message; SQLite has a
/// single writer at a time (the caller holds `BEGIN IMMEDIATE`).
fn lock_due_ids(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<i64>> {
    let query = email_outbox::table
        .filter(email_outbox::status.eq_any([MailStatus::Queued, MailStatus::Sending]))
        .filter(email_outbox::next_attempt_at.le(now()))
        .order(email_outbox::id)
        .limit(limit)
        .select(email_outbox::id);
    match conn {
        DbConn::Pg(pg) => query.for_update().skip_locked().load(pg),
        other => query.load(other),
    }
}

/// Claims up to `limit` due messages: each gets one more attempt counted and is leased for
/// `lease` (pushed into the future), so no other sender takes it meanwhile and a crash
/// mid-send only delays it.
pub fn claim_due(
    conn: &mut DbConn,
    limit: i64,
    lease: Duration,
) -> QueryResult<Vec<OutboxMessage>> {
    conn.write_tx(|c| {
        let ids = lock_due_ids(c, limit)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(&ids)))
            .set((
                email_outbox::attempts.eq(email_outbox::attempts + 1),
                email_outbox::next_attempt_at.eq(now() + lease),
            ))
            .execute(c)?;
        email_outbox::table
            .filter(email_outbox::id.eq_any(&ids))
            .order(email_outbox::id)
            .select(OutboxMessage::as_select())
            .load(c)
    })
}

/// Claimed messages the sender did not try (it is shutting down): due again at once, for this
/// instance after a restart or another one, and not counted as an attempt.
pub fn release(conn: &mut DbConn, ids: &[OutboxId]) -> QueryResult<usize> {
    diesel::update(email_outbox::table.filter(email_outbox::id.eq_any(ids)))
        .set((
            email_outbox::attempts.eq(email_outbox::attempts - 1),
            email_outbox::next_attempt_at.eq(now()),
        ))
        .execute(conn)
}

/// Just before the message goes to SMTP: its lease starts again from now, so that a sender
/// dead in the middle (a crash) leaves it for at most `lease`.
pub fn mark_sending(conn: &mut DbConn, id: OutboxId, lease: Duration) -> QueryResult<usize> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq(MailStatus::Sending),
            email_outbox::next_attempt_at.eq(now() + lease),
        ))
        .execute(conn)
}

/// When the next queued message falls due, for the sender to wake then.
pub fn next_due(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    email_outbox::table
        .filter(email_outbox::status.eq_any([MailStatus::Queued, MailStatus::Sending]))
        .select(diesel::dsl::min(email_outbox::next_attempt_at))
        .first(conn)
}

/// The Message-ID of an outbox row: the same on every retry and resend, so that a copy sent
/// twice (a crash between sending and recording it) is recognised as one message.
pub fn message_id(message: &OutboxMessage, domain: &str) -> String {
    format!(
        "<comptoir.{}.{}@{domain}>",
        message.id,
        message.created_at.and_utc().timestamp()
    )
}

pub fn mark_sent(conn: &mut DbConn, id: OutboxId) -> QueryResult<usize> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq(MailStatus::Sent),
            email_outbox::sent_at.eq(Some(now())),
            email_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// Records a failed attempt: retried after a delay that doubles each time, or marked failed
/// once `max_attempts` is reached (or at once when `permanent`).
pub fn mark_failed_attempt(
    conn: &mut DbConn,
    message: &OutboxMessage,
    error: &str,
    permanent: bool,
    max_attempts: i32,
    base_delay: Duration,
) -> QueryResult<usize> {
    let error: String = error.chars().take(1000).collect();
    if permanent || message.attempts >= max_attempts {
        return diesel::update(email_outbox::table.find(message.id))
            .set((
                email_outbox::status.eq(MailStatus::Failed),
                email_outbox::last_error.eq(Some(error)),
            ))
            .execute(conn);
    }
    let delay = retry_delay(base_delay, message.attempts);
    diesel::update(email_outbox::table.find(message.id))
        .set((
            email_outbox::status.eq(MailStatus::Queued),
            email_outbox::next_attempt_at.eq(now() + delay),
            email_outbox::last_error.eq(Some(error)),
        ))
        .execute(conn)
}

/// `base`, `2·base`, `4·base`, … capped at six hours.
pub fn retry_delay(base: Duration, attempts: i32) -> Duration {
    let factor = 1i32 << attempts.clamp(1, 16).saturating_sub(1);
    (base * factor).min(Duration::hours(6))
}

/// The email log: messages of one status (or all), newest first, and the total.
pub fn list(
    conn: &mut DbConn,
    status: Option<MailStatus>,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<OutboxMessage>, i64)> {
    let filtered = || {
        let q = email_outbox::table.into_boxed();
        match status {
            Some(s) => q.filter(email_outbox::status.eq(s)),
            None => q,
        }
    };
    let total = filtered().count().get_result(conn)?;
    let items = filtered()
        .order(email_outbox::id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(OutboxMessage::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Queues a message again from scratch (staff pressed "resend").
pub fn requeue(conn: &mut DbConn, id: OutboxId) -> QueryResult<usize> {
    diesel::update(email_outbox::table.find(id))
        .set((
            email_outbox::status.eq(MailStatus::Queued),
            email_outbox::attempts.eq(0),
            email_outbox::next_attempt_at.eq(now()),
            email_outbox::last_error.eq(None::<String>),
        ))
        .execute(conn)
}

/// Messages that gave up, newest first, for the dashboard and the email log.
pub fn failed(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OutboxMessage>> {
    email_outbox::table
        .filter(email_outbox::status.eq(MailStatus::Failed))
        .order(email_outbox::id.desc())
        .limit(limit)
        .select(OutboxMessage::as_select())
        .load(conn)
}

pub fn for_order(conn: &mut DbConn, order_id: OrderId) -> QueryResult<Vec<OutboxMessage>> {
    email_outbox::table
        .filter(email_outbox::order_id.eq(order_id))
        .order(email_outbox::id)
        .select(OutboxMessage::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_and_cap() {
        let base = Duration::seconds(30);
        assert_eq!(retry_delay(base, 1), Duration::seconds(30));
        assert_eq!(retry_delay(base, 2), Duration::seconds(60));
        assert_eq!(retry_delay(base, 4), Duration::seconds(240));
        assert_eq!(retry_delay(base, 40), Duration::hours(6));
    }
}

/// The outbox as the readiness check reports it.
#[derive(Debug, Serialize)]
pub struct Backlog {
    /// Messages waiting to be sent (first tries and retries).
    pub pending: i64,
    /// How long the oldest of them has been waiting, in seconds.
    pub oldest_pending_secs: Option<i64>,
    /// Messages that gave up, for staff to look at.
    pub failed: i64,
}

pub fn backlog(conn: &mut DbConn) -> QueryResult<Backlog> {
    let waiting = || {
        email_outbox::table
            .filter(email_outbox::status.eq_any([MailStatus::Queued, MailStatus::Sending]))
    };
    let pending: i64 = waiting().count().get_result(conn)?;
    let oldest: Option<NaiveDateTime> = waiting()
        .select(diesel::dsl::min(email_outbox::created_at))
        .first(conn)?;
    let failed: i64 = email_outbox::table
        .filter(email_outbox::status.eq(MailStatus::Failed))
        .count()
        .get_result(conn)?;
    Ok(Backlog {
        pending,
        oldest_pending_secs: oldest.map(|t| (now() - t).num_seconds().max(0)),
        failed,
    })
}
