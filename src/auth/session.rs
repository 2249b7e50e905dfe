//! Server-side sessions: the cookie holds a random token, the `sessions` table its hash.

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use super::{hash_token, new_token, Role};
use crate::db::schema::{sessions, users};
use crate::db::DbConn;

/// The signed-in user as every guard sees it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionUser {
    pub session_id: i64,
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub locale: Option<String>,
}

#[derive(Queryable)]
struct Row {
    session_id: i64,
    id: i64,
    email: String,
    role: String,
    display_name: String,
    locale: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
struct NewSession<'a> {
    token_hash: &'a str,
    user_id: i64,
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    user_agent: Option<&'a str>,
}

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Opens a session for `user_id` and returns the token for the cookie (never stored).
pub fn create(
    conn: &mut DbConn,
    user_id: i64,
    lifetime: Duration,
    user_agent: Option<&str>,
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
            user_agent: user_agent.map(|ua| &ua[..ua.len().min(255)]),
        })
        .execute(conn)?;
    Ok(token)
}

/// The user behind a cookie token, if the session is unexpired and the account enabled.
pub fn find_active(conn: &mut DbConn, token: &str) -> QueryResult<Option<SessionUser>> {
    let row: Option<Row> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash_token(token)))
        .filter(sessions::expires_at.gt(now()))
        .filter(users::disabled_at.is_null())
        .select((
            sessions::id,
            users::id,
            users::email,
            users::role,
            users::display_name,
            users::locale,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|r| {
        Some(SessionUser {
            session_id: r.session_id,
            id: r.id,
            email: r.email,
            role: Role::parse(&r.role)?,
            display_name: r.display_name,
            locale: r.locale,
        })
    }))
}

pub fn delete(conn: &mut DbConn, session_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(session_id)).execute(conn)
}

pub fn delete_for_user(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn purge_expired(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now()))).execute(conn)
}
