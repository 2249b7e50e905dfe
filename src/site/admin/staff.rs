//! Staff accounts, for admins only: invite, change role, disable.

use std::sync::Arc;

use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::accounts::model::User;
use crate::accounts::staff::{self, StaffError};
use crate::auth::Role;
use crate::config::Shop;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail::MailWaker;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::visitor::Admin;
use crate::site::visitor::Fresh;

pub fn routes() -> Vec<Route> {
    routes![list, invite, set_role, set_disabled, reset_second_factor]
}

#[derive(Serialize)]
struct StaffRow {
    #[serde(flatten)]
    user: User,
    /// False until the invitation link has been used.
    password_set: bool,
}

#[derive(Serialize)]
struct StaffPage {
    staff: Vec<StaffRow>,
    me: UserId,
}

#[get("/staff")]
async fn list(db: DbRef, ctx: PageCtx<'_>, admin: Admin) -> AppResult<Html> {
    let staff = db
        .run(staff::list)
        .await?
        .into_iter()
        .map(|user| StaffRow {
            password_set: user.password_hash != staff::NO_PASSWORD,
            user,
        })
        .collect();
    Ok(ctx.render(
        "admin/staff",
        StaffPage {
            staff,
            me: admin.0.id,
        },
    ))
}

fn back() -> Redirect {
    Redirect::to("/admin/staff")
}

fn outcome<T>(r: Result<T, StaffError>, lang: Lang, ok_key: &str) -> AppResult<Flash<Redirect>> {
    match r {
        Ok(_) => Ok(Flash::success(back(), lang.t(ok_key))),
        Err(StaffError::EmailTaken) => Ok(Flash::error(back(), lang.t("err-email_taken"))),
        Err(StaffError::LastAdmin) => Ok(Flash::error(back(), lang.t("admin-last-admin"))),
        Err(StaffError::NotStaff) => Ok(Flash::error(back(), lang.t("admin-not-staff"))),
        Err(StaffError::App(e)) => Err(e),
    }
}

fn staff_role(s: &str) -> Option<Role> {
    Role::parse(s).filter(|r| r.is_staff())
}

#[derive(Debug, FromForm)]
pub struct InviteForm {
    #[field(default = String::new())]
    pub email: String,
    #[field(default = String::new())]
    pub display_name: String,
    #[field(default = String::from("staff"))]
    pub role: String,
}

#[post("/staff", data = "<form>")]
async fn invite(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    _fresh: Fresh,
    shop: &State<Arc<Shop>>,
    waker: &State<MailWaker>,
    form: Protected<InviteForm>,
) -> AppResult<Flash<Redirect>> {
    let lang = ctx.lang();
    let email = form.email.trim().to_string();
    if !validator::ValidateEmail::validate_email(&email) || email.len() > 254 {
        return Ok(Flash::error(back(), lang.t("err-email")));
    }
    let Some(role) = staff_role(&form.role) else {
        return Ok(Flash::error(back(), lang.t("err-choice")));
    };
    let name = form.display_name.trim().to_string();
    if name.chars().count() > 100 {
        return Ok(Flash::error(back(), lang.t("err-too_long")));
    }
    let (shop, actor) = (Arc::clone(shop), admin.0.id);
    let r = db
        .run(move |c| staff::invite(c, &shop, &email, &name, role, lang, actor))
        .await;
    if r.is_ok() {
        waker.wake();
    }
    outcome(r, lang, "admin-staff-invited")
}

#[derive(Debug, FromForm)]
pub struct RoleForm {
    #[field(default = String::new())]
    pub role: String,
}

#[post("/staff/<id>/role", data = "<form>")]
async fn set_role(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    _fresh: Fresh,
    id: UserId,
    form: Protected<RoleForm>,
) -> AppResult<Flash<Redirect>> {
    let lang = ctx.lang();
    let Some(role) = staff_role(&form.role) else {
        return Ok(Flash::error(back(), lang.t("err-choice")));
    };
    let actor = admin.0.id;
    let r = db.run(move |c| staff::set_role(c, id, role, actor)).await;
    outcome(r, lang, "admin-saved")
}

#[derive(Debug, FromForm)]
pub struct DisabledForm {
    #[field(default = false)]
    pub disabled: bool,
}

#[post("/staff/<id>/disabled", data = "<form>")]
async fn set_disabled(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    _fresh: Fresh,
    id: UserId,
    form: Protected<DisabledForm>,
) -> AppResult<Flash<Redirect>> {
    let (disabled, actor) = (form.disabled, admin.0.id);
    let r = db
        .run(move |c| staff::set_disabled(c, id, disabled, actor))
        .await;
    outcome(r, ctx.lang(), "admin-saved")
}

/// For a staff member who lost both their phone and their recovery codes: their two-factor
/// authentication is turned off (they set it up again) and their sessions end.
#[post("/staff/<id>/2fa/reset", data = "<_form>")]
async fn reset_second_factor(
    db: DbRef,
    ctx: PageCtx<'_>,
    admin: Admin,
    _fresh: Fresh,
    id: UserId,
    _form: Protected<crate::site::csrf::Nothing>,
) -> AppResult<Flash<Redirect>> {
    let actor = admin.0.id;
    let r = db
        .run(move |c| staff::reset_second_factor(c, id, actor))
        .await;
    outcome(r, ctx.lang(), "admin-2fa-reset")
}
