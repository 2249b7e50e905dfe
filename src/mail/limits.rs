//! Nobody can make the shop mail strangers (OWASP ASVS V11, anti-automation): every email a
//! visitor can have sent to an address they typed (registration, account links, back-in-stock
//! confirmations) goes through [`admit`], which counts, in the database so that every instance
//! sharing it counts alike:
//!
//! - per client (the request's address; the trusted proxy's header when one is configured):
//!   `mail_limit_per_client` requests in 10 minutes, whatever each led to, above which nothing
//!   is sent and the visitor may be told to try again in a few minutes (it tells nothing of any
//!   address);
//! - per address: `mail_limit_per_address` in an hour, above which nothing is sent and the
//!   visitor gets the same answer as if it had been (no enumeration);
//! - for the whole shop: `mail_hourly_ceiling` in an hour, above which emails wait an hour in the
//!   outbox instead of leaving, and the staff are told once an hour (email and audit log).
//!
//! Addresses are kept hashed, a day at most (the periodic round sweeps them).

use chrono::Duration;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit;
use crate::config::{Settings, Shop};
use crate::db::schema::mail_requests;
use crate::db::{now, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::OrderId;
use crate::mail::outbox;
use crate::templates::{Email, EmailKind};

/// The limits in force, from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_client: i64,
    pub per_address: i64,
    pub hourly_ceiling: i64,
}

impl Limits {
    pub fn of(s: &Settings) -> Limits {
        Limits {
            per_client: s.mail_limit_per_client.max(1),
            per_address: s.mail_limit_per_address.max(1),
            hourly_ceiling: s.mail_hourly_ceiling.max(1),
        }
    }
}

/// The window of the per-client limit.
pub const CLIENT_WINDOW_MINUTES: i64 = 10;

/// What became of a visitor's email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent {
    /// Queued for delivery.
    Queued,
    /// Queued to leave in an hour: the shop sent as many as it may this hour.
    Held,
    /// Not sent: too many to this address lately (the visitor is told nothing different).
    TooManyToAddress,
}

impl Sent {
    fn outcome(self) -> &'static str {
        match self {
            Sent::Queued => "sent",
            Sent::Held => "held",
            Sent::TooManyToAddress => "refused",
        }
    }
}

/// The first step of every function that mails an address a visitor typed: whether `client`
/// may ask for one more. Every request counts, whatever it leads to (an email, none, one
/// refused for its address), so what a client is told depends only on what it did itself and
/// says nothing of any address. Over the limit, the attempt is recorded as throttled and
/// `false` comes back: nothing is to be sent.
pub fn client_may_ask(
    c: &mut DbConn,
    shop: &Shop,
    client: &str,
    kind: EmailKind,
) -> QueryResult<bool> {
    serialize(c)?;
    let limits = Limits::of(&shop.settings());
    let asked: i64 = mail_requests::table
        .filter(mail_requests::client.eq(client))
        .filter(mail_requests::outcome.ne("throttled"))
        .filter(mail_requests::created_at.gt(now() - Duration::minutes(CLIENT_WINDOW_MINUTES)))
        .count()
        .get_result(c)?;
    if asked < limits.per_client {
        return Ok(true);
    }
    log::warn!(
        "visitor email {} throttled for client {client}",
        kind.as_str()
    );
    record(c, client, kind, "", "throttled")?;
    Ok(false)
}

/// The request led to no email (an unknown address asking for a reset, an alert already
/// asked for): it counts for its client all the same.
pub fn nothing_to_send(c: &mut DbConn, client: &str, kind: EmailKind) -> QueryResult<()> {
    record(c, client, kind, "", "none")
}

/// Sends `email`, which a visitor at `client` asked for (after [`client_may_ask`]), within
/// the limits per address and for the whole shop; in the caller's write transaction, so the
/// count and the record are one step for every instance (SQLite's writers queue; on PostgreSQL
/// a transaction-scoped advisory lock orders them).
pub fn send(
    c: &mut DbConn,
    shop: &Shop,
    client: &str,
    email: &Email,
    order: Option<OrderId>,
) -> AppResult<Sent> {
    serialize(c)?;
    let limits = Limits::of(&shop.settings());
    let hash = crate::auth::hash_token(&email.to.trim().to_lowercase());
    let hour_ago = now() - Duration::hours(1);
    let mailed = || {
        mail_requests::table
            .filter(mail_requests::outcome.eq_any(["sent", "held"]))
            .filter(mail_requests::created_at.gt(hour_ago))
    };
    let to_address: i64 = mailed()
        .filter(mail_requests::address_hash.eq(&hash))
        .count()
        .get_result(c)?;
    let verdict = if to_address >= limits.per_address {
        Sent::TooManyToAddress
    } else if mailed().count().get_result::<i64>(c)? >= limits.hourly_ceiling {
        Sent::Held
    } else {
        Sent::Queued
    };
    match verdict {
        Sent::Queued => {
            outbox::enqueue(c, email, order)?;
        }
        Sent::Held => {
            if !held_since(c, hour_ago)? {
                ceiling_reached(c, shop, limits)?;
            }
            outbox::enqueue_at(c, email, order, now() + Duration::hours(1))?;
        }
        Sent::TooManyToAddress => {
            log::warn!(
                "visitor email {} not sent: its address had {to_address} this hour",
                email.kind.as_str()
            );
        }
    }
    record(c, client, email.kind, &hash, verdict.outcome())?;
    Ok(verdict)
}

fn record(
    c: &mut DbConn,
    client: &str,
    kind: EmailKind,
    address_hash: &str,
    outcome: &str,
) -> QueryResult<()> {
    diesel::insert_into(mail_requests::table)
        .values((
            mail_requests::kind.eq(kind.as_str()),
            mail_requests::client.eq(client),
            mail_requests::address_hash.eq(address_hash),
            mail_requests::outcome.eq(outcome),
            mail_requests::created_at.eq(now()),
        ))
        .execute(c)?;
    Ok(())
}

fn held_since(c: &mut DbConn, since: chrono::NaiveDateTime) -> QueryResult<bool> {
    Ok(mail_requests::table
        .filter(mail_requests::outcome.eq("held"))
        .filter(mail_requests::created_at.gt(since))
        .select(mail_requests::id)
        .first::<i64>(c)
        .optional()?
        .is_some())
}

#[derive(Serialize)]
struct CeilingEmail<'a> {
    shop_name: &'a str,
    ceiling: i64,
}

/// The first email held this hour: the audit log records it and the staff are told.
fn ceiling_reached(c: &mut DbConn, shop: &Shop, limits: Limits) -> AppResult<()> {
    log::warn!(
        "visitor emails: the hourly ceiling ({}) is reached; the next ones wait an hour",
        limits.hourly_ceiling
    );
    audit::Change::new(None, "mail.ceiling", "mail")
        .after(&serde_json::json!({ "hourly_ceiling": limits.hourly_ceiling }))
        .record(c)?;
    let settings = shop.settings();
    if let Some(staff) = settings.staff_address() {
        let mail = shop
            .mail
            .render(
                EmailKind::MailCeilingStaff,
                staff,
                Lang::Fr,
                &CeilingEmail {
                    shop_name: &settings.shop_name,
                    ceiling: limits.hourly_ceiling,
                },
            )
            .map_err(|e| AppError::Mail(e.to_string()))?;
        outbox::enqueue(c, &mail, None)?;
    }
    Ok(())
}

/// On PostgreSQL, orders the instances' counts: the lock is held until the transaction ends.
/// SQLite's write transactions are one at a time already.
fn serialize(c: &mut DbConn) -> QueryResult<()> {
    if let DbConn::Pg(pg) = c {
        // A fixed key of this lock: "mail" in ASCII.
        diesel::sql_query("SELECT pg_advisory_xact_lock(1835100524)").execute(pg)?;
    }
    Ok(())
}

/// What visitors' emails came to lately, for `/readyz` and the back-office's email log.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Throttled {
    /// Queued in the last hour, against the hourly ceiling.
    pub sent_last_hour: i64,
    pub hourly_ceiling: i64,
    /// Held for the next hour, in the last day.
    pub held_last_day: i64,
    /// Refused for their address, in the last day.
    pub refused_last_day: i64,
    /// Requests of clients over their limit, in the last day.
    pub throttled_last_day: i64,
}

pub fn throttled(c: &mut DbConn, limits: Limits) -> QueryResult<Throttled> {
    let at = now();
    let since = |outcome: &'static str, hours: i64| {
        mail_requests::table
            .filter(mail_requests::outcome.eq(outcome))
            .filter(mail_requests::created_at.gt(at - Duration::hours(hours)))
            .count()
    };
    Ok(Throttled {
        sent_last_hour: since("sent", 1).get_result(c)?,
        hourly_ceiling: limits.hourly_ceiling,
        held_last_day: since("held", 24).get_result(c)?,
        refused_last_day: since("refused", 24).get_result(c)?,
        throttled_last_day: since("throttled", 24).get_result(c)?,
    })
}

/// Forgets requests older than a day (the periodic round).
pub fn purge(c: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(
        mail_requests::table.filter(mail_requests::created_at.lt(now() - Duration::days(1))),
    )
    .execute(c)
}
