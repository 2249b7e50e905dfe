//! Signing in with a password: throttled per account and per client address, the password
//! checked with bcrypt while no database connection is held, the owner warned by email when a
//! lockout starts, an unverified address sent a new link instead of a session, and a fresh
//! session opened on success (the visitor's previous one ended, never reused).

use std::sync::Arc;

use chrono::Duration;
use serde::Serialize;

use crate::accounts::model::{self, User};
use crate::accounts::{security, throttle};
use crate::auth::password::Hasher;
use crate::auth::session;
use crate::config::Shop;
use crate::db::{DbConn, Runner};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::ids::{SessionId, UserId};
use crate::mail::{outbox, MailWaker};
use crate::templates::EmailKind;

/// What the login form brought, and who typed it.
pub struct Attempt {
    pub email: String,
    pub password: String,
    pub client_ip: String,
    pub user_agent: Option<String>,
    /// The visitor's session, ended by a successful login.
    pub previous_session: Option<SessionId>,
    pub lang: Lang,
}

/// What a login attempt came to.
#[derive(Debug)]
pub enum Outcome {
    /// Too many failures lately: try again in this many minutes (the password was not checked).
    Locked { minutes: i64 },
    /// Unknown address, disabled account or wrong password: the visitor is not told which.
    Failed,
    /// The right password, but the address was never confirmed: a new link went out (at most
    /// one every ten minutes) and no session opened.
    Unverified,
    /// Signed in: the token for the session cookie; with a second factor, the session signs in
    /// once the code is given.
    SignedIn { token: String, second_factor: bool },
}

/// Work done in the new session's transaction when it opens (merging the visitor's cart).
pub type OnSignIn = Box<dyn FnOnce(&mut DbConn, UserId) -> diesel::QueryResult<()> + Send>;

#[derive(Serialize)]
struct LockEmail<'a> {
    shop_name: &'a str,
    minutes: i64,
}

/// Checks an attempt and signs its account in. `db` gives its connection back while the
/// password hash waits for its turn and runs: logins queued behind bcrypt must not take the
/// pool from the pages.
pub async fn attempt(
    db: &impl Runner,
    hasher: &Hasher,
    shop: &Arc<Shop>,
    waker: &MailWaker,
    attempt: Attempt,
    on_sign_in: Option<OnSignIn>,
) -> AppResult<Outcome> {
    let email = model::normalize_email(&attempt.email);
    let lang = attempt.lang;
    let (key, ip) = (email.clone(), attempt.client_ip.clone());
    let locked = db
        .run(move |c| throttle::check(c, &key, &ip))
        .await
        .ok_or(AppError::Busy)??;
    if let Some(until) = locked {
        let minutes = ((until - crate::db::now()).num_seconds() + 59) / 60;
        return Ok(Outcome::Locked {
            minutes: minutes.max(1),
        });
    }
    let key = email.clone();
    let user: Option<User> = db
        .run(move |c| model::find_by_email(c, &key))
        .await
        .ok_or(AppError::Busy)??
        .filter(|u| u.disabled_at.is_none());
    db.release().await;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = hasher.verify(&attempt.password, stored).await?;
    let (key, ip, known) = (email, attempt.client_ip, user.is_some());
    let for_mail = Arc::clone(shop);
    let warned = db
        .run(move |c| c.write_tx(|c| record(c, &for_mail, &key, &ip, ok, known, lang)))
        .await
        .ok_or(AppError::Busy)??;
    if warned {
        waker.wake();
    }
    let Some(user) = user.filter(|_| ok) else {
        return Ok(Outcome::Failed);
    };
    if user.email_verified_at.is_none() {
        let shop = Arc::clone(shop);
        db.run(move |c| security::resend_verification(c, &shop, &user, lang))
            .await
            .ok_or(AppError::Busy)??;
        waker.wake();
        return Ok(Outcome::Unverified);
    }
    let second_factor = user.totp_enabled_at.is_some();
    let lifetime = Duration::hours(shop.settings().session_hours);
    let (previous, agent) = (attempt.previous_session, attempt.user_agent);
    let token = db
        .run(move |c| {
            c.write_tx(|c| {
                if let Some(merge) = on_sign_in {
                    merge(c, user.id)?;
                }
                let agent = agent.as_deref();
                session::replace(c, previous, user.id, lifetime, agent, second_factor)
            })
        })
        .await
        .ok_or(AppError::Busy)??;
    Ok(Outcome::SignedIn {
        token,
        second_factor,
    })
}

/// Records the attempt; when it starts a lockout of a `known` account, queues the email that
/// warns its owner. Returns whether it did.
fn record(
    c: &mut DbConn,
    shop: &Shop,
    email: &str,
    ip: &str,
    succeeded: bool,
    known: bool,
    lang: Lang,
) -> AppResult<bool> {
    let starts_lockout = throttle::record(c, email, ip, succeeded)?;
    if !(starts_lockout && known) {
        return Ok(false);
    }
    let data = LockEmail {
        shop_name: &shop.settings().shop_name,
        minutes: throttle::PER_ACCOUNT.max_delay_secs / 60,
    };
    let mail = shop
        .mail
        .render(EmailKind::AccountLocked, email, lang, &data)
        .map_err(|e| AppError::Mail(e.to_string()))?;
    outbox::enqueue(c, &mail, None)?;
    Ok(true)
}
