//! Server-side sessions: the cookie holds a random token, the `sessions` table its hash.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::{hash_token, new_token, Role};
use crate::db::schema::{sessions, users};
use crate::db::{now, DbConn};
use crate::ids::{SessionId, UserId};

/// The signed-in user as every guard sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionUser {
    pub session_id: SessionId,
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub locale: Option<String>,
    /// The password was right but the second factor is still to be given: not signed in yet.
    pub second_factor_pending: bool,
    /// When the password (and code) were last confirmed in this session, for sensitive actions.
    pub reauth_at: Option<NaiveDateTime>,
    pub totp_enabled: bool,
}

#[derive(Queryable)]
struct Row {
    session_id: SessionId,
    id: UserId,
    email: String,
    role: Role,
    display_name: String,
    locale: Option<String>,
    second_factor_pending: bool,
    reauth_at: Option<NaiveDateTime>,
    totp_enabled_at: Option<NaiveDateTime>,
    last_seen_at: NaiveDateTime,
}

/// How often the idle clock of a session is moved forward (one write a minute at most).
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NewSession<'a> {
    token_hash: &'a str,
    user_id: UserId,
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    user_agent: Option<&'a str>,
    second_factor_pending: bool,
    reauth_at: Option<NaiveDateTime>,
}

/// Opens a session for `user_id` and returns the token for the cookie (never stored). The
/// password was just checked, so the session counts as freshly re-authenticated.
pub fn create(
    conn: &mut DbConn,
    user_id: UserId,
    lifetime: Duration,
    user_agent: Option<&str>,
) -> QueryResult<String> {
    create_with(conn, user_id, lifetime, user_agent, false)
}

/// Signs `user_id` in afresh: the visitor's previous session (if any) ends and a new one
/// opens, so every login gets a new id. Returns the token for the cookie.
pub fn replace(
    conn: &mut DbConn,
    previous: Option<SessionId>,
    user_id: UserId,
    lifetime: Duration,
    user_agent: Option<&str>,
    second_factor_pending: bool,
) -> QueryResult<String> {
    if let Some(old) = previous {
        delete(conn, old)?;
    }
    create_with(conn, user_id, lifetime, user_agent, second_factor_pending)
}

/// A session that waits for the second factor before it signs anyone in.
pub fn create_with(
    conn: &mut DbConn,
    user_id: UserId,
    lifetime: Duration,
    user_agent: Option<&str>,
    second_factor_pending: bool,
) -> QueryResult<String> {
    let (token, hash) = new_token();
    let now = now();
    diesel::insert_into(sessions::table)
        .values(NewSession {
            token_hash: &hash,
            user_id,
            created_at: now,
            last_seen_at: now,
            expires_at: now + lifetime,
            user_agent: user_agent.map(|ua| truncate(ua, 255)),
            second_factor_pending,
            reauth_at: (!second_factor_pending).then_some(now),
        })
        .execute(conn)?;
    Ok(token)
}

fn truncate(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The user behind a cookie token, if the session is unexpired (absolute lifetime), has been
/// used within `idle` and the account is enabled. Moves the idle clock forward at most once a
/// minute: the one write a GET may cause, on purpose.
/// How long a session may go unused, by who holds it.
#[derive(Debug, Clone, Copy)]
pub struct Idle {
    pub customer: Duration,
    pub staff: Duration,
}

impl Idle {
    /// From the settings' `session_idle_minutes` and `staff_session_idle_minutes`.
    pub fn minutes(customer: i64, staff: i64) -> Idle {
        Idle {
            customer: Duration::minutes(customer.max(1)),
            staff: Duration::minutes(staff.max(1)),
        }
    }

    fn longest(self) -> Duration {
        self.customer.max(self.staff)
    }

    fn limit(self, role: Role) -> Duration {
        if role.is_staff() {
            self.staff
        } else {
            self.customer
        }
    }
}

pub fn find_active(conn: &mut DbConn, token: &str, idle: Idle) -> QueryResult<Option<SessionUser>> {
    let now = now();
    let row: Option<Row> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::last_seen_at.gt(now - idle.longest()))
        .filter(users::disabled_at.is_null())
        .select((
            sessions::id,
            users::id,
            users::email,
            users::role,
            users::display_name,
            users::locale,
            sessions::second_factor_pending,
            sessions::reauth_at,
            users::totp_enabled_at,
            sessions::last_seen_at,
        ))
        .first(conn)
        .optional()?;
    let Some(r) = row.filter(|r| r.last_seen_at > now - idle.limit(r.role)) else {
        return Ok(None);
    };
    if (now - r.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
        diesel::update(sessions::table.find(r.session_id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some(SessionUser {
        session_id: r.session_id,
        id: r.id,
        email: r.email,
        role: r.role,
        display_name: r.display_name,
        locale: r.locale,
        second_factor_pending: r.second_factor_pending,
        reauth_at: r.reauth_at,
        totp_enabled: r.totp_enabled_at.is_some(),
    }))
}

/// The second factor was given: the session now signs its user in.
pub fn complete_second_factor(conn: &mut DbConn, session_id: SessionId) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set((
            sessions::second_factor_pending.eq(false),
            sessions::reauth_at.eq(Some(now())),
        ))
        .execute(conn)
}

/// The password (and code) were confirmed again for a sensitive action.
pub fn mark_reauthenticated(conn: &mut DbConn, session_id: SessionId) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::reauth_at.eq(Some(now())))
        .execute(conn)
}

/// Ends every session of a user but one (after a password change, say).
pub fn delete_others(conn: &mut DbConn, user_id: UserId, keep: SessionId) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

pub fn delete(conn: &mut DbConn, session_id: SessionId) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(session_id)).execute(conn)
}

pub fn delete_for_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn purge_expired(conn: &mut DbConn, idle: Idle) -> QueryResult<usize> {
    let now = now();
    let idle = idle.longest();
    diesel::delete(
        sessions::table.filter(
            sessions::expires_at
                .le(now)
                .or(sessions::last_seen_at.le(now - idle)),
        ),
    )
    .execute(conn)
}
