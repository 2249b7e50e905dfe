//! Account security: registration that does not tell whether an address is known, email
//! verification, password reset, password and email changes, ending every session.
//! Each link is a single-use token from `tokens`, stored hashed and expiring.

use chrono::Duration;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::model::{self, CreateUserError, User};
use crate::accounts::throttle;
use crate::accounts::tokens::{self, Purpose};
use crate::audit;
use crate::auth::session;
use crate::auth::Role;
use crate::config::Shop;
use crate::db::now;
use crate::db::schema::users;
use crate::db::{is_unique_violation, DbConn};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{SessionId, UserId};
use crate::mail::limits;
use crate::mail::outbox;
use crate::templates::EmailKind;

/// How long a verification link works.
pub const VERIFY_HOURS: i64 = 48;
/// How long a reset link works.
pub const RESET_MINUTES: i64 = 60;
/// Reset emails sent to one account per hour, at most (the answer stays the same after).
pub const RESETS_PER_HOUR: i64 = 3;

/// The one email of every account link: `kind` picks its texts (`email-<kind>-…`).
#[derive(Serialize)]
struct LinkEmail<'a> {
    shop_name: &'a str,
    link: String,
    hours: i64,
    minutes: i64,
}

/// An account link to send.
struct Link<'a> {
    kind: EmailKind,
    to: &'a str,
    lang: Lang,
    path_and_query: &'a str,
    minutes: i64,
}

/// Sends a link: within the limits of `mail::limits` when a visitor at `client` asked for it.
fn send_link(c: &mut DbConn, shop: &Shop, link: Link<'_>, client: Option<&str>) -> AppResult<()> {
    let Link {
        kind,
        to,
        lang,
        path_and_query,
        minutes,
    } = link;
    let settings = shop.settings();
    let data = LinkEmail {
        shop_name: &settings.shop_name,
        link: format!(
            "{}{path_and_query}",
            settings.base_url.trim_end_matches('/')
        ),
        hours: minutes / 60,
        minutes,
    };
    let mail = shop
        .mail
        .render(kind, to, lang, &data)
        .map_err(|e| AppError::Mail(e.to_string()))?;
    match client {
        Some(client) => {
            limits::send(c, shop, client, &mail, None)?;
        }
        None => {
            outbox::enqueue(c, &mail, None)?;
        }
    }
    Ok(())
}

/// What a visitor's request for a link came to, as far as they may be told: done (whether or
/// not an email left, which they are not told), or too many requests from them lately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    Done,
    TooMany,
}

/// Registers a customer, or — when the address already has an account — tells its owner by
/// email instead. The visitor sees the same answer either way (check your inbox), unless they
/// registered too often lately (`mail::limits`), which says nothing of the address.
pub fn register(
    conn: &mut DbConn,
    shop: &Shop,
    new: NewCustomer<'_>,
    client: &str,
) -> AppResult<Asked> {
    let NewCustomer {
        email,
        password_hash,
        name,
        lang,
    } = new;
    conn.write_tx(|c| {
        if !limits::client_may_ask(c, shop, client, EmailKind::VerifyEmail)? {
            return Ok(Asked::TooMany);
        }
        // In a savepoint: on PostgreSQL a failed insert spoils the rest of the transaction.
        let created = c.transaction(|c| {
            model::create(
                c,
                email,
                password_hash,
                Role::Customer,
                name,
                Some(lang.code()),
            )
        });
        let to = model::normalize_email(email);
        match created {
            Ok(id) => send_verification(c, shop, id, &to, None, lang, Some(client))?,
            Err(CreateUserError::EmailTaken) => {
                let lang = model::find_by_email(c, &to)?
                    .and_then(|u| u.locale.as_deref().and_then(Lang::parse))
                    .unwrap_or(lang);
                let link = Link {
                    kind: EmailKind::AccountExists,
                    to: &to,
                    lang,
                    path_and_query: "/password/forgot",
                    minutes: 0,
                };
                send_link(c, shop, link, Some(client))?;
            }
            Err(CreateUserError::Db(e)) => return Err(e.into()),
        }
        Ok(Asked::Done)
    })
}

/// A customer's account as the registration form gives it.
pub struct NewCustomer<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: &'a str,
    pub lang: Lang,
}

/// Sends a verification link to `to`: the account's own address, or the new one of an email
/// change (`new_email`), which takes effect only when the link is used; within the limits of
/// `mail::limits` when a visitor at `client` asked for it.
fn send_verification(
    c: &mut DbConn,
    shop: &Shop,
    user_id: UserId,
    to: &str,
    new_email: Option<&str>,
    lang: Lang,
    client: Option<&str>,
) -> AppResult<()> {
    let token = tokens::issue_with(
        c,
        user_id,
        Purpose::VerifyEmail,
        Duration::hours(VERIFY_HOURS),
        new_email,
    )?;
    let kind = if new_email.is_some() {
        EmailKind::ConfirmNewEmail
    } else {
        EmailKind::VerifyEmail
    };
    let path = format!("/account/verify?token={token}");
    let link = Link {
        kind,
        to,
        lang,
        path_and_query: &path,
        minutes: VERIFY_HOURS * 60,
    };
    send_link(c, shop, link, client)
}

/// Sends a new verification link unless one went out in the last ten minutes (it answers a
/// login with the right password: no visitor limit applies).
pub fn resend_verification(c: &mut DbConn, shop: &Shop, user: &User, lang: Lang) -> AppResult<()> {
    let recent = tokens::issued_since(
        c,
        user.id,
        Purpose::VerifyEmail,
        now() - Duration::minutes(10),
    )?;
    if recent > 0 {
        return Ok(());
    }
    send_verification(c, shop, user.id, &user.email, None, lang, None)
}

#[derive(Debug)]
pub enum Verified {
    /// The address is confirmed; the account may sign in.
    Account { user_id: UserId, role: Role },
    /// The account's address is now the new one.
    NewEmail { user_id: UserId },
    /// Another account took that address in the meantime.
    EmailTaken,
    /// Unknown, used or expired link.
    Invalid,
}

/// Uses a verification link: confirms the address, or switches to the new one.
pub fn verify(conn: &mut DbConn, token: &str) -> QueryResult<Verified> {
    conn.write_tx(|c| {
        let Some((user_id, new_email)) = tokens::consume_with(c, token, Purpose::VerifyEmail)?
        else {
            return Ok(Verified::Invalid);
        };
        let user = model::find(c, user_id)?;
        let now = now();
        match new_email {
            None => {
                diesel::update(users::table.find(user_id))
                    .set(users::email_verified_at.eq(Some(now)))
                    .execute(c)?;
                Ok(Verified::Account {
                    user_id,
                    role: user.role(),
                })
            }
            Some(email) => {
                // In a savepoint, like registration: the address may have been taken since.
                let changed = c.transaction(|c| {
                    diesel::update(users::table.find(user_id))
                        .set((
                            users::email.eq(&email),
                            users::email_verified_at.eq(Some(now)),
                            users::updated_at.eq(now),
                        ))
                        .execute(c)
                });
                match changed {
                    Err(e) if is_unique_violation(&e) => return Ok(Verified::EmailTaken),
                    other => other?,
                };
                audit::Change::new(Some(user_id), "user.email", "user")
                    .on(user_id)
                    .before(&serde_json::json!({ "email": user.email }))
                    .after(&serde_json::json!({ "email": email }))
                    .record(c)?;
                Ok(Verified::NewEmail { user_id })
            }
        }
    })
}

/// Sends a reset link when the address belongs to an enabled account (at most
/// `RESETS_PER_HOUR` an hour, and within the limits of `mail::limits` for the visitor at
/// `client`); the caller answers the same whatever happened.
pub fn request_reset(
    conn: &mut DbConn,
    shop: &Shop,
    email: &str,
    lang: Lang,
    client: &str,
) -> AppResult<()> {
    conn.write_tx(|c| {
        if !limits::client_may_ask(c, shop, client, EmailKind::PasswordReset)? {
            return Ok(());
        }
        let Some(user) = model::find_by_email(c, email)?.filter(|u| u.disabled_at.is_none()) else {
            limits::nothing_to_send(c, client, EmailKind::PasswordReset)?;
            return Ok(());
        };
        let sent = tokens::issued_since(
            c,
            user.id,
            Purpose::ResetPassword,
            now() - Duration::hours(1),
        )?;
        if sent >= RESETS_PER_HOUR {
            log::warn!("password reset for user {} capped this hour", user.id);
            limits::nothing_to_send(c, client, EmailKind::PasswordReset)?;
            return Ok(());
        }
        let token = tokens::issue(
            c,
            user.id,
            Purpose::ResetPassword,
            Duration::minutes(RESET_MINUTES),
        )?;
        let lang = user.locale.as_deref().and_then(Lang::parse).unwrap_or(lang);
        let path = format!("/password/reset?token={token}");
        let link = Link {
            kind: EmailKind::PasswordReset,
            to: &user.email,
            lang,
            path_and_query: &path,
            minutes: RESET_MINUTES,
        };
        send_link(c, shop, link, Some(client))
    })
}

/// Sets the password of the account a set-password or reset token belongs to, once. Every
/// session of the account ends, its address counts as verified (the link reached it) and its
/// failed logins are forgotten.
pub fn set_password_with_token(
    conn: &mut DbConn,
    token: &str,
    purpose: Purpose,
    password_hash: &str,
) -> QueryResult<Option<UserId>> {
    conn.write_tx(|c| {
        let Some(user) = tokens::consume(c, token, purpose)? else {
            return Ok(None);
        };
        let now = now();
        model::set_password_hash(c, user, password_hash)?;
        diesel::update(
            users::table
                .find(user)
                .filter(users::email_verified_at.is_null()),
        )
        .set(users::email_verified_at.eq(Some(now)))
        .execute(c)?;
        session::delete_for_user(c, user)?;
        let email = model::find(c, user)?.email;
        throttle::forget(c, &email)?;
        audit::Change::new(Some(user), purpose_action(purpose), "user")
            .on(user)
            .record(c)?;
        Ok(Some(user))
    })
}

fn purpose_action(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::ResetPassword => "user.reset_password",
        _ => "user.set_password",
    }
}

/// A signed-in user's new password (the current one was checked by the caller): the other
/// sessions end, this one stays.
pub fn change_password(
    conn: &mut DbConn,
    user_id: UserId,
    session_id: SessionId,
    password_hash: &str,
) -> QueryResult<()> {
    conn.write_tx(|c| {
        model::set_password_hash(c, user_id, password_hash)?;
        session::delete_others(c, user_id, session_id)?;
        audit::Change::new(Some(user_id), "user.change_password", "user")
            .on(user_id)
            .record(c)?;
        Ok(())
    })
}

/// Starts an email change: a link to the new address, which confirms it.
pub fn request_email_change(
    conn: &mut DbConn,
    shop: &Shop,
    user_id: UserId,
    new_email: &str,
    lang: Lang,
    client: &str,
) -> AppResult<Asked> {
    let to = model::normalize_email(new_email);
    conn.write_tx(|c| {
        if !limits::client_may_ask(c, shop, client, EmailKind::ConfirmNewEmail)? {
            return Ok(Asked::TooMany);
        }
        send_verification(c, shop, user_id, &to, Some(&to), lang, Some(client))?;
        Ok(Asked::Done)
    })
}
