//! All Diesel code for the `users` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::Role;
use crate::db::now;
use crate::db::schema::users;
use crate::db::{is_unique_violation, lower, DbConn};
use crate::ids::UserId;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    #[serde(skip)]
    pub password_hash: String,
    pub role: Role,
    pub display_name: String,
    pub locale: Option<String>,
    pub email_verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub totp_enabled_at: Option<NaiveDateTime>,
}

impl User {
    pub fn role(&self) -> Role {
        self.role
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub display_name: &'a str,
    pub locale: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("this email is already registered")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Emails are compared without regard to case (the unique index is on `lower(email)`).
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(lower(users::email).eq(normalize_email(email)))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConn, id: UserId) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

pub fn create(
    conn: &mut DbConn,
    email: &str,
    password_hash: &str,
    role: Role,
    display_name: &str,
    locale: Option<&str>,
) -> Result<UserId, CreateUserError> {
    let now = now();
    let email = normalize_email(email);
    diesel::insert_into(users::table)
        .values(NewUser {
            email: &email,
            password_hash,
            role,
            display_name: display_name.trim(),
            locale,
            created_at: now,
            updated_at: now,
        })
        .returning(users::id)
        .get_result(conn)
        .map_err(|e| {
            if is_unique_violation(&e) {
                CreateUserError::EmailTaken
            } else {
                CreateUserError::Db(e)
            }
        })
}

pub fn set_password_hash(conn: &mut DbConn, id: UserId, password_hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
}

/// Marks an account's address as confirmed (accounts made by the command line or the tests).
pub fn mark_verified(conn: &mut DbConn, id: UserId) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::email_verified_at.eq(Some(now())))
        .execute(conn)
}

pub fn set_locale(conn: &mut DbConn, id: UserId, locale: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::locale.eq(locale), users::updated_at.eq(now())))
        .execute(conn)
}

pub fn count_by_role(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    users::table
        .group_by(users::role)
        .select((users::role, diesel::dsl::count_star()))
        .load(conn)
}

/// Accounts of one role matching `text` (email or name), newest first, and the total.
pub fn search(
    conn: &mut DbConn,
    role: Role,
    text: &str,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<User>, i64)> {
    let filtered = || {
        let mut q = users::table.filter(users::role.eq(role)).into_boxed();
        if !text.trim().is_empty() {
            let pattern = crate::text::contains_pattern(text);
            q = q.filter(
                lower(users::email)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(users::display_name).like(pattern).escape('\\')),
            );
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let items = filtered()
        .order((users::created_at.desc(), users::id.desc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(User::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Disables (or enables again) an account; disabling also ends its sessions.
pub fn set_disabled(
    conn: &mut DbConn,
    id: UserId,
    disabled: bool,
    actor: UserId,
) -> QueryResult<()> {
    conn.write_tx(|c| set_disabled_in(c, id, disabled, actor))
}

/// [`set_disabled`] inside the caller's transaction.
pub fn set_disabled_in(
    c: &mut DbConn,
    id: UserId,
    disabled: bool,
    actor: UserId,
) -> QueryResult<()> {
    {
        let before = find(c, id)?;
        let at = disabled.then(now);
        diesel::update(users::table.find(id))
            .set((users::disabled_at.eq(at), users::updated_at.eq(now())))
            .execute(c)?;
        if disabled {
            crate::auth::session::delete_for_user(c, id)?;
        }
        let action = if disabled {
            "user.disable"
        } else {
            "user.enable"
        };
        crate::audit::Change::new(Some(actor), action, "user")
            .on(id)
            .before(&serde_json::json!({ "disabled": before.disabled_at.is_some() }))
            .after(&serde_json::json!({ "disabled": disabled }))
            .record(c)?;
        Ok(())
    }
}
