//! Two-factor authentication pages: set it up (QR code, then a code to prove it works, then
//! the recovery codes, shown once), turn it off, give the code at login, and confirm the
//! password (and code) again before sensitive actions.

use std::sync::Arc;

use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::accounts::throttle;
use crate::accounts::two_factor::{self, unix_now};
use crate::auth::password::Hasher;
use crate::auth::session;
use crate::auth::totp;
use crate::auth::Keys;
use crate::config::Shop;
use crate::error::{AppError, AppResult};
use crate::ids::UserId;
use crate::site::account::pages::current_password_ok;
use crate::site::csrf::safe_next;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::guards::ClientAddress;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::clear_session_cookie;
use crate::site::visitor::Customer;
use crate::site::visitor::Visitor;

pub fn routes() -> Vec<Route> {
    routes![
        setup_page,
        enable,
        disable,
        login_code_page,
        login_code,
        confirm_page,
        confirm
    ]
}

// ---- set-up -------------------------------------------------------------------------------

#[derive(Serialize)]
struct SetupPage {
    enabled: bool,
    recovery_left: i64,
    /// While setting up: the secret (also typed by hand), its signature, and the QR code.
    secret: Option<String>,
    sig: Option<String>,
    qr_svg: Option<String>,
    /// Right after enabling: the recovery codes, shown this once.
    recovery_codes: Vec<String>,
    error: Option<String>,
}

fn setup_view(
    shop: &Shop,
    keys: &Keys,
    user_id: UserId,
    email: &str,
    secret: String,
    error: Option<String>,
) -> SetupPage {
    let url = totp::otpauth_url(&secret, &shop.settings().shop_name, email);
    SetupPage {
        enabled: false,
        recovery_left: 0,
        sig: Some(keys.sign("totp-setup", &format!("{user_id}:{secret}"))),
        qr_svg: url.as_deref().and_then(totp::qr_svg),
        secret: Some(secret),
        recovery_codes: Vec::new(),
        error,
    }
}

/// Shows the state, or a fresh secret to scan. Nothing is stored until a code proves the app
/// has it (a GET writes nothing): the secret travels in the form, signed for this account.
#[get("/account/2fa")]
async fn setup_page(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    shop: &State<Arc<Shop>>,
    keys: &State<Keys>,
) -> AppResult<Html> {
    let me = customer.0;
    if me.totp_enabled {
        let id = me.id;
        let left = db.run(move |c| two_factor::recovery_left(c, id)).await?;
        return Ok(ctx.render(
            "account/two_factor",
            SetupPage {
                enabled: true,
                recovery_left: left,
                secret: None,
                sig: None,
                qr_svg: None,
                recovery_codes: Vec::new(),
                error: None,
            },
        ));
    }
    let view = setup_view(shop, keys, me.id, &me.email, totp::new_secret(), None);
    Ok(ctx.render("account/two_factor", view))
}

#[derive(Debug, FromForm, Default)]
pub struct EnableForm {
    #[field(default = String::new())]
    pub secret: String,
    #[field(default = String::new())]
    pub sig: String,
    #[field(default = String::new())]
    pub code: String,
}

#[post("/account/2fa/enable", data = "<form>")]
async fn enable(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    shop: &State<Arc<Shop>>,
    keys: &State<Keys>,
    form: Protected<EnableForm>,
) -> AppResult<Reply> {
    let (me, lang, form) = (customer.0, ctx.lang(), form.0);
    if !keys.verify(
        "totp-setup",
        &format!("{}:{}", me.id, form.secret),
        &form.sig,
    ) {
        return Err(AppError::Forbidden);
    }
    let Some(step) = totp::matching_step(&form.secret, &form.code, unix_now()) else {
        let view = setup_view(
            shop,
            keys,
            me.id,
            &me.email,
            form.secret,
            Some(lang.t("err-totp_code")),
        );
        return Ok(Reply::Invalid(ctx.render("account/two_factor", view)));
    };
    let codes = totp::new_recovery_codes();
    let (id, secret, stored) = (me.id, form.secret.clone(), codes.clone());
    let key = two_factor::sealing_key(keys);
    db.run(move |c| two_factor::enable(c, &key, id, &secret, step, &stored))
        .await?;
    Ok(Reply::Page(ctx.render(
        "account/two_factor",
        SetupPage {
            enabled: true,
            recovery_left: codes.len() as i64,
            secret: None,
            sig: None,
            qr_svg: None,
            recovery_codes: codes,
            error: None,
        },
    )))
}

#[derive(Debug, FromForm, Default)]
pub struct DisableForm {
    #[field(default = String::new())]
    pub current_password: String,
    #[field(default = String::new())]
    pub code: String,
}

/// Turning it off takes the password and a code (or a recovery code).
#[post("/account/2fa/disable", data = "<form>")]
async fn disable(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    hasher: &State<Hasher>,
    keys: &State<Keys>,
    form: Protected<DisableForm>,
) -> AppResult<Flash<Redirect>> {
    let (me, lang, form) = (customer.0, ctx.lang(), form.0);
    let back = || Redirect::to("/account/2fa");
    let id = me.id;
    if !current_password_ok(&db, hasher, id, &form.current_password).await? {
        return Ok(Flash::error(back(), lang.t("err-current_password")));
    }
    let (code, key) = (form.code.clone(), two_factor::sealing_key(keys));
    let ok = db
        .run(move |c| two_factor::verify(c, &key, id, &code, unix_now()))
        .await?;
    if !ok {
        return Ok(Flash::error(back(), lang.t("err-totp_code")));
    }
    db.run(move |c| two_factor::disable(c, id, id)).await?;
    Ok(Flash::success(back(), lang.t("flash-2fa-disabled")))
}

// ---- at login -----------------------------------------------------------------------------

#[derive(Debug, FromForm, Serialize, Default)]
pub struct CodeForm {
    #[field(default = String::new())]
    #[serde(skip)]
    pub code: String,
    pub next: Option<String>,
    #[field(default = String::new())]
    #[serde(skip)]
    pub current_password: String,
}

#[get("/login/2fa?<next>")]
fn login_code_page(ctx: PageCtx<'_>, visitor: &Visitor, next: Option<String>) -> Reply {
    if visitor.pending.is_none() {
        return Reply::Redirect(Redirect::to("/login"));
    }
    let form = CodeForm {
        next: Some(safe_next(next.as_deref())),
        ..CodeForm::default()
    };
    Reply::Page(ctx.render("account/login_code", FormView::new(form)))
}

/// The second step of a login: the code (or a recovery code). Wrong codes count as failed
/// logins for the account, so the login throttle applies to them too.
#[post("/login/2fa", data = "<form>")]
async fn login_code(
    db: DbRef,
    ctx: PageCtx<'_>,
    visitor: &Visitor,
    address: ClientAddress,
    jar: &CookieJar<'_>,
    keys: &State<Keys>,
    form: Protected<CodeForm>,
) -> AppResult<Reply> {
    let (lang, form) = (ctx.lang(), form.0);
    let Some(pending) = visitor.pending.clone() else {
        return Ok(Reply::Redirect(Redirect::to("/login")));
    };
    let (email, ip) = (pending.email.clone(), address.0.clone());
    let locked = db.run(move |c| throttle::check(c, &email, &ip)).await?;
    if locked.is_some() {
        // Locked out: the half-open session ends; the login page tells how long to wait.
        let sid = pending.session_id;
        db.run(move |c| session::delete(c, sid)).await?;
        clear_session_cookie(jar);
        return Ok(Reply::Redirect(Redirect::to("/login")));
    }
    let (id, code, key) = (pending.id, form.code.clone(), two_factor::sealing_key(keys));
    let ok = db
        .run(move |c| two_factor::verify(c, &key, id, &code, unix_now()))
        .await?;
    let (email, ip) = (pending.email.clone(), address.0.clone());
    db.run(move |c| throttle::record(c, &email, &ip, ok))
        .await?;
    if !ok {
        let view = FormView::new(form).error("code", lang.t("err-totp_code"));
        return Ok(Reply::Invalid(ctx.render("account/login_code", view)));
    }
    let sid = pending.session_id;
    db.run(move |c| session::complete_second_factor(c, sid))
        .await?;
    Ok(Reply::Redirect(Redirect::to(safe_next(
        form.next.as_deref(),
    ))))
}

// ---- confirm before a sensitive action ----------------------------------------------------

#[derive(Serialize)]
struct ConfirmPage {
    #[serde(flatten)]
    form: FormView<CodeForm>,
    needs_code: bool,
}

#[get("/account/confirm?<next>")]
pub fn confirm_page(ctx: PageCtx<'_>, customer: Customer, next: Option<String>) -> Html {
    let form = CodeForm {
        next: Some(safe_next(next.as_deref())),
        ..CodeForm::default()
    };
    ctx.render(
        "account/confirm",
        ConfirmPage {
            form: FormView::new(form),
            needs_code: customer.0.totp_enabled,
        },
    )
}

#[post("/account/confirm", data = "<form>")]
async fn confirm(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    hasher: &State<Hasher>,
    address: ClientAddress,
    keys: &State<Keys>,
    form: Protected<CodeForm>,
) -> AppResult<Reply> {
    let (me, lang, form) = (customer.0, ctx.lang(), form.0);
    let id = me.id;
    let (email, ip) = (me.email.clone(), address.0.clone());
    let locked = db.run(move |c| throttle::check(c, &email, &ip)).await?;
    let password_ok =
        locked.is_none() && current_password_ok(&db, hasher, id, &form.current_password).await?;
    let code_ok = if !password_ok || !me.totp_enabled {
        password_ok
    } else {
        let (code, key) = (form.code.clone(), two_factor::sealing_key(keys));
        db.run(move |c| two_factor::verify(c, &key, id, &code, unix_now()))
            .await?
    };
    let (email, ip) = (me.email.clone(), address.0.clone());
    db.run(move |c| throttle::record(c, &email, &ip, code_ok))
        .await?;
    if !code_ok {
        let (field, key) = if password_ok {
            ("code", "err-totp_code")
        } else {
            ("current_password", "err-current_password")
        };
        let view = FormView::new(form).error(field, lang.t(key));
        return Ok(Reply::Invalid(ctx.render(
            "account/confirm",
            ConfirmPage {
                form: view,
                needs_code: me.totp_enabled,
            },
        )));
    }
    let sid = me.session_id;
    db.run(move |c| session::mark_reauthenticated(c, sid))
        .await?;
    Ok(Reply::Redirect(Redirect::to(safe_next(
        form.next.as_deref(),
    ))))
}
