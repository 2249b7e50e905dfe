//! Staff accounts, managed by admins: invitations with a one-time set-password link, role
//! changes and disabling, never leaving the shop without an active admin.

use chrono::Duration;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::model::{self, CreateUserError, User};
use crate::accounts::tokens::{self, Purpose};
use crate::audit;
use crate::auth::session;
use crate::auth::Role;
use crate::config::Shop;
use crate::db::now;
use crate::db::schema::users;
use crate::db::DbConn;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail::outbox;
use crate::templates::EmailKind;

/// How long an invitation link works.
pub const INVITE_HOURS: i64 = 72;
/// A password hash no password matches: the account cannot log in until the link is used.
pub const NO_PASSWORD: &str = "!unset";

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::role.eq_any([Role::Staff, Role::Admin]))
        .order(users::email)
        .select(User::as_select())
        .load(conn)
}

/// Where the staff's notices go (a withdrawal, a new order, a payment): the shop's address
/// when one is set, otherwise every active admin's, so that none is lost for want of it.
pub fn notice_addresses(
    conn: &mut DbConn,
    settings: &crate::config::Settings,
) -> QueryResult<Vec<String>> {
    if let Some(address) = settings.staff_address() {
        return Ok(vec![address.to_string()]);
    }
    users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::disabled_at.is_null())
        .filter(users::password_hash.ne(NO_PASSWORD))
        .order(users::id)
        .select(users::email)
        .load(conn)
}

/// Active admins, with their rows locked on PostgreSQL so that two concurrent demotions cannot
/// both see "another admin is left" (SQLite runs one writer at a time).
fn active_admins(conn: &mut DbConn) -> QueryResult<i64> {
    if let DbConn::Pg(pg) = conn {
        let ids: Vec<i64> = users::table
            .filter(users::role.eq(Role::Admin))
            .filter(users::disabled_at.is_null())
            .select(users::id)
            .for_update()
            .load(pg)?;
        return Ok(ids.len() as i64);
    }
    users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
}

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("this email is already registered")]
    EmailTaken,
    #[error("the shop must keep one active admin")]
    LastAdmin,
    #[error("not a staff account")]
    NotStaff,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<diesel::result::Error> for StaffError {
    fn from(e: diesel::result::Error) -> Self {
        StaffError::App(AppError::Db(e))
    }
}

#[derive(Serialize)]
struct InviteEmail<'a> {
    shop_name: &'a str,
    link: String,
    hours: i64,
    role: &'a str,
}

/// Creates a staff account and emails it a link to choose its password.
pub fn invite(
    conn: &mut DbConn,
    shop: &Shop,
    email: &str,
    name: &str,
    role: Role,
    lang: Lang,
    actor: UserId,
) -> Result<UserId, StaffError> {
    conn.write_tx(|c| {
        let id = model::create(c, email, NO_PASSWORD, role, name, Some(lang.code())).map_err(
            |e| match e {
                CreateUserError::EmailTaken => StaffError::EmailTaken,
                CreateUserError::Db(e) => e.into(),
            },
        )?;
        let token = tokens::issue(c, id, Purpose::SetPassword, Duration::hours(INVITE_HOURS))?;
        let link = format!(
            "{}/password/set?token={token}",
            shop.settings().base_url.trim_end_matches('/')
        );
        let data = InviteEmail {
            shop_name: &shop.settings().shop_name,
            link,
            hours: INVITE_HOURS,
            role: role.as_str(),
        };
        let to = model::normalize_email(email);
        let mail = shop
            .mail
            .render(EmailKind::StaffInvitation, &to, lang, &data)
            .map_err(|e| AppError::Mail(e.to_string()))?;
        outbox::enqueue(c, &mail, None)?;
        let after = serde_json::json!({ "email": to, "role": role.as_str() });
        audit::Change::new(Some(actor), "staff.invite", "user")
            .on(id)
            .after(&after)
            .record(c)?;
        Ok(id)
    })
}

fn staff_member(c: &mut DbConn, id: UserId) -> Result<User, StaffError> {
    let user = model::find(c, id)?;
    if user.role().is_staff() {
        Ok(user)
    } else {
        Err(StaffError::NotStaff)
    }
}

/// Changes a staff member's role. Their sessions end, so the new role starts with a new
/// session.
pub fn set_role(
    conn: &mut DbConn,
    id: UserId,
    role: Role,
    actor: UserId,
) -> Result<(), StaffError> {
    conn.write_tx(|c| {
        let user = staff_member(c, id)?;
        if !role.is_staff() {
            return Err(StaffError::NotStaff);
        }
        if user.role() == Role::Admin
            && role != Role::Admin
            && user.disabled_at.is_none()
            && active_admins(c)? <= 1
        {
            return Err(StaffError::LastAdmin);
        }
        diesel::update(users::table.find(id))
            .set((users::role.eq(role), users::updated_at.eq(now())))
            .execute(c)?;
        session::delete_for_user(c, id)?;
        audit::Change::new(Some(actor), "staff.role", "user")
            .on(id)
            .before(&serde_json::json!({ "role": user.role }))
            .after(&serde_json::json!({ "role": role.as_str() }))
            .record(c)?;
        Ok(())
    })
}

pub fn set_disabled(
    conn: &mut DbConn,
    id: UserId,
    disabled: bool,
    actor: UserId,
) -> Result<(), StaffError> {
    conn.write_tx(|c| {
        let user = staff_member(c, id)?;
        if disabled
            && user.role() == Role::Admin
            && user.disabled_at.is_none()
            && active_admins(c)? <= 1
        {
            return Err(StaffError::LastAdmin);
        }
        model::set_disabled_in(c, id, disabled, actor)?;
        Ok(())
    })
}

/// Turns off a staff member's two-factor authentication and ends their sessions.
pub fn reset_second_factor(conn: &mut DbConn, id: UserId, actor: UserId) -> Result<(), StaffError> {
    conn.write_tx(|c| {
        staff_member(c, id)?;
        crate::accounts::two_factor::disable_in(c, id, actor)?;
        session::delete_for_user(c, id)?;
        Ok(())
    })
}
