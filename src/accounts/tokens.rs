//! Single-use tokens sent by email (set a password, and later verify an email or reset a
//! password): stored hashed, expiring, used once.

use chrono::Duration;
use diesel::prelude::*;

use crate::auth::{hash_token, new_token};
use crate::db::now;
use crate::db::schema::user_tokens;
use crate::db::DbConn;
use crate::ids::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SetPassword,
    ResetPassword,
    VerifyEmail,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::SetPassword => "set_password",
            Purpose::ResetPassword => "reset_password",
            Purpose::VerifyEmail => "verify_email",
        }
    }
}

/// Issues a token and returns it (only its hash is stored).
pub fn issue(
    conn: &mut DbConn,
    user_id: UserId,
    purpose: Purpose,
    valid_for: Duration,
) -> QueryResult<String> {
    issue_with(conn, user_id, purpose, valid_for, None)
}

/// Issues a token that carries a value (the new address of an email change).
pub fn issue_with(
    conn: &mut DbConn,
    user_id: UserId,
    purpose: Purpose,
    valid_for: Duration,
    payload: Option<&str>,
) -> QueryResult<String> {
    let (token, hash) = new_token();
    let now = now();
    diesel::insert_into(user_tokens::table)
        .values((
            user_tokens::user_id.eq(user_id),
            user_tokens::purpose.eq(purpose.as_str()),
            user_tokens::token_hash.eq(hash),
            user_tokens::expires_at.eq(now + valid_for),
            user_tokens::created_at.eq(now),
            user_tokens::payload.eq(payload),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The user a valid (unused, unexpired) token belongs to, and the value it carries.
fn find_valid(
    conn: &mut DbConn,
    token: &str,
    purpose: Purpose,
) -> QueryResult<Option<(UserId, Option<String>)>> {
    user_tokens::table
        .filter(user_tokens::token_hash.eq(hash_token(token)))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .filter(user_tokens::used_at.is_null())
        .filter(user_tokens::expires_at.gt(now()))
        .select((user_tokens::user_id, user_tokens::payload))
        .first(conn)
        .optional()
}

/// The user a valid (unused, unexpired) token belongs to.
pub fn peek(conn: &mut DbConn, token: &str, purpose: Purpose) -> QueryResult<Option<UserId>> {
    Ok(find_valid(conn, token, purpose)?.map(|(user, _)| user))
}

/// Uses a token: marks it used (so it works once) and returns its user. Call inside the
/// transaction that acts on it.
pub fn consume(conn: &mut DbConn, token: &str, purpose: Purpose) -> QueryResult<Option<UserId>> {
    Ok(consume_with(conn, token, purpose)?.map(|(user, _)| user))
}

/// Like `consume`, with the value the token carries.
pub fn consume_with(
    conn: &mut DbConn,
    token: &str,
    purpose: Purpose,
) -> QueryResult<Option<(UserId, Option<String>)>> {
    let Some((user, payload)) = find_valid(conn, token, purpose)? else {
        return Ok(None);
    };
    let used = diesel::update(
        user_tokens::table
            .filter(user_tokens::token_hash.eq(hash_token(token)))
            .filter(user_tokens::used_at.is_null()),
    )
    .set(user_tokens::used_at.eq(Some(now())))
    .execute(conn)?;
    Ok((used == 1).then_some((user, payload)))
}

/// How many tokens of this purpose a user was sent since `since` (to cap reset emails).
pub fn issued_since(
    conn: &mut DbConn,
    user_id: UserId,
    purpose: Purpose,
    since: chrono::NaiveDateTime,
) -> QueryResult<i64> {
    user_tokens::table
        .filter(user_tokens::user_id.eq(user_id))
        .filter(user_tokens::purpose.eq(purpose.as_str()))
        .filter(user_tokens::created_at.gt(since))
        .count()
        .get_result(conn)
}
