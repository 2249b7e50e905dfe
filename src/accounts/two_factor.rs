//! Two-factor authentication records: the TOTP secret of an account, the last time step used
//! (a code works once), and its single-use recovery codes, stored hashed.

use diesel::prelude::*;

use crate::audit;
use crate::auth::{hash_token, totp};
use crate::db::now;
use crate::db::schema::{recovery_codes, users};
use crate::db::DbConn;
use crate::ids::UserId;

/// Turns two-factor authentication on with a secret the user has just proved they hold
/// (`step` is the window of the code they typed), stored sealed under `key`, and stores the
/// hashes of the recovery codes.
pub fn enable(
    conn: &mut DbConn,
    key: &[u8],
    user_id: UserId,
    secret: &str,
    step: i64,
    recovery: &[String],
) -> QueryResult<()> {
    conn.write_tx(|c| {
        diesel::update(users::table.find(user_id))
            .set((
                users::totp_secret.eq(Some(totp::seal(key, secret))),
                users::totp_enabled_at.eq(Some(now())),
                users::totp_last_step.eq(Some(step)),
            ))
            .execute(c)?;
        diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
            .execute(c)?;
        // One insert a code: batch inserts are not available across both backends.
        for code in recovery {
            diesel::insert_into(recovery_codes::table)
                .values((
                    recovery_codes::user_id.eq(user_id),
                    recovery_codes::code_hash.eq(hash_token(&totp::normalise_recovery_code(code))),
                ))
                .execute(c)?;
        }
        audit::Change::new(Some(user_id), "user.2fa_enable", "user")
            .on(user_id)
            .record(c)?;
        Ok(())
    })
}

pub fn disable(conn: &mut DbConn, user_id: UserId, actor: UserId) -> QueryResult<()> {
    conn.write_tx(|c| disable_in(c, user_id, actor))
}

/// `disable`, inside the caller's transaction.
pub fn disable_in(c: &mut DbConn, user_id: UserId, actor: UserId) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::totp_secret.eq(None::<String>),
            users::totp_enabled_at.eq(None::<chrono::NaiveDateTime>),
            users::totp_last_step.eq(None::<i64>),
        ))
        .execute(c)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(c)?;
    audit::Change::new(Some(actor), "user.2fa_disable", "user")
        .on(user_id)
        .record(c)?;
    Ok(())
}

/// Checks a second factor: a code from the authenticator app (each window usable once), or
/// an unused recovery code (then used up). True when it is good.
pub fn verify(
    conn: &mut DbConn,
    key: &[u8],
    user_id: UserId,
    code: &str,
    unix_time: u64,
) -> QueryResult<bool> {
    conn.write_tx(|c| {
        let (secret, last): (Option<String>, Option<i64>) = users::table
            .find(user_id)
            .select((users::totp_secret, users::totp_last_step))
            .first(c)?;
        let Some(secret) = secret.and_then(|s| totp::open(key, &s)) else {
            return Ok(false);
        };
        if let Some(step) = totp::matching_step(&secret, code, unix_time) {
            if last.is_some_and(|l| step <= l) {
                return Ok(false);
            }
            diesel::update(users::table.find(user_id))
                .set(users::totp_last_step.eq(Some(step)))
                .execute(c)?;
            return Ok(true);
        }
        let hash = hash_token(&totp::normalise_recovery_code(code));
        let used = diesel::update(
            recovery_codes::table
                .filter(recovery_codes::user_id.eq(user_id))
                .filter(recovery_codes::code_hash.eq(hash))
                .filter(recovery_codes::used_at.is_null()),
        )
        .set(recovery_codes::used_at.eq(Some(now())))
        .execute(c)?;
        Ok(used == 1)
    })
}

/// The key TOTP secrets are sealed with, derived from the shop's secret.
pub fn sealing_key(keys: &crate::auth::Keys) -> Vec<u8> {
    keys.derive("totp-secret-key-1")
}

/// Recovery codes not used yet.
pub fn recovery_left(conn: &mut DbConn, user_id: UserId) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
