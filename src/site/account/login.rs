//! Register, log in, log out, my account, language switch.

use chrono::Duration;
use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route, State};
use serde::Serialize;

use crate::accounts::model::{self, User};
use crate::accounts::security;
use crate::accounts::throttle;
use crate::auth::password::Hasher;
use crate::auth::session;
use crate::cart::model as cart;
use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::site::account::forms::LangForm;
use crate::site::account::forms::LoginForm;
use crate::site::account::forms::RegisterForm;
use crate::site::account::pages::sent_page;
use crate::site::csrf::safe_next;
use crate::site::csrf::Nothing;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::FormView;
use crate::site::guards::ClientAddress;
use crate::site::guards::UserAgent;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::clear_session_cookie;
use crate::site::visitor::set_session_cookie;
use crate::site::visitor::Visitor;

pub fn routes() -> Vec<Route> {
    routes![register_page, register, login_page, login, logout, set_lang,]
}

#[get("/register")]
fn register_page(ctx: PageCtx<'_>) -> Html {
    ctx.render("account/register", FormView::new(RegisterForm::default()))
}

/// Registration answers the same whether the address is new (an account waiting for its
/// verification link) or known (its owner is told by email): nobody learns who has an account.
#[post("/register", data = "<form>")]
async fn register(
    db: DbRef,
    ctx: PageCtx<'_>,
    hasher: &State<Hasher>,
    shop: &State<std::sync::Arc<crate::config::Shop>>,
    waker: &State<crate::mail::MailWaker>,
    form: Protected<RegisterForm>,
) -> AppResult<Reply> {
    let form = form.0;
    let lang = ctx.lang();
    if let Err(errors) = form.check() {
        let view = FormView::with_errors(form, &errors, lang);
        return Ok(Reply::Invalid(ctx.render("account/register", view)));
    }
    // Hashing first, whatever the address, keeps both answers equally slow.
    let hash = hasher.hash(&form.password).await?;
    let (email, name) = (form.email.clone(), form.display_name.clone());
    let shop = std::sync::Arc::clone(shop);
    db.run(move |c| security::register(c, &shop, &email, &hash, &name, lang))
        .await?;
    waker.wake();
    Ok(Reply::Page(sent_page(&ctx, "sent-register")))
}

#[get("/login?<next>")]
pub fn login_page(ctx: PageCtx<'_>, next: Option<String>) -> Html {
    let form = LoginForm {
        next: Some(safe_next(next.as_deref())),
        ..LoginForm::default()
    };
    ctx.render("account/login", FormView::new(form))
}

#[derive(Serialize)]
struct LockEmail<'a> {
    shop_name: &'a str,
    minutes: i64,
}

#[allow(clippy::too_many_arguments)]
#[post("/login", data = "<form>")]
async fn login(
    lazy: crate::site::db::LazyDb,
    ctx: PageCtx<'_>,
    visitor: &Visitor,
    hasher: &State<Hasher>,
    settings: &State<Settings>,
    jar: &CookieJar<'_>,
    agent: UserAgent,
    address: ClientAddress,
    shop: &State<std::sync::Arc<crate::config::Shop>>,
    waker: &State<crate::mail::MailWaker>,
    form: Protected<LoginForm>,
) -> AppResult<Reply> {
    let form = form.0;
    let lang = ctx.lang();
    let email = model::normalize_email(&form.email);
    let (key, ip) = (email.clone(), address.0.clone());
    let db = lazy.get().await.ok_or(AppError::Busy)?;
    let locked = db.run(move |c| throttle::check(c, &key, &ip)).await?;
    if let Some(until) = locked {
        let minutes = ((until - crate::db::now()).num_seconds() + 59) / 60;
        let msg = lang.t_args(
            "err-login_locked",
            &[("minutes", minutes.max(1).to_string())],
        );
        let view = FormView::new(form).error("password", msg);
        return Ok(Reply::TooMany(ctx.render("account/login", view)));
    }
    let key = email.clone();
    let user: Option<User> = db
        .run(move |c| model::find_by_email(c, &key))
        .await?
        .filter(|u| u.disabled_at.is_none());
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    // No connection is held while the hash waits for its turn and runs: logins queued
    // behind bcrypt must not take the pool from the pages.
    drop(db);
    lazy.release().await;
    let ok = hasher.verify(&form.password, stored).await?;
    let db = lazy.get().await.ok_or(AppError::Busy)?;
    let (key, ip, known) = (email.clone(), address.0.clone(), user.is_some());
    let lock_shop = std::sync::Arc::clone(shop);
    let warned = db
        .run(move |c| {
            c.write_tx(|c| {
                let starts_lockout = throttle::record(c, &key, &ip, ok)?;
                if starts_lockout && known {
                    let data = LockEmail {
                        shop_name: &lock_shop.settings().shop_name,
                        minutes: throttle::PER_ACCOUNT.max_delay_secs / 60,
                    };
                    let mail = lock_shop
                        .mail
                        .render("account_locked", &key, lang, &data)
                        .map_err(|e| AppError::Mail(e.to_string()))?;
                    crate::mail::outbox::enqueue(c, "account_locked", &mail, None)?;
                    return Ok::<_, AppError>(true);
                }
                Ok(false)
            })
        })
        .await?;
    if warned {
        waker.wake();
    }
    let user = match user {
        Some(u) if ok => u,
        _ => {
            let msg = lang.t("err-login_failed");
            let view = FormView::new(form).error("password", msg);
            return Ok(Reply::Invalid(ctx.render("account/login", view)));
        }
    };
    // The right password, but the address was never confirmed: a new link (at most one every
    // ten minutes) and no session.
    if user.email_verified_at.is_none() {
        let (shop, unverified) = (std::sync::Arc::clone(shop), user.clone());
        db.run(move |c| security::resend_verification(c, &shop, &unverified, lang))
            .await?;
        waker.wake();
        let view = FormView::new(form).error("email", lang.t("err-email_unverified"));
        return Ok(Reply::Invalid(ctx.render("account/login", view)));
    }
    // A fresh session on every login: the old one (if any) is ended, never reused.
    let previous = visitor.session_id();
    let second_factor = user.totp_enabled_at.is_some();
    let anon_cart = visitor.anon_token().map(str::to_string);
    let lifetime = Duration::hours(settings.session_hours);
    let token = db
        .run(move |c| {
            c.write_tx(|c| {
                if let Some(token) = &anon_cart {
                    cart::merge_into_user(c, token, user.id)?;
                }
                let agent = agent.0.as_deref();
                session::replace(c, previous, user.id, lifetime, agent, second_factor)
            })
        })
        .await?;
    set_session_cookie(jar, token, settings);
    let next = safe_next(form.next.as_deref());
    if second_factor {
        // The password was right; the session signs in once the code is given.
        return Ok(Reply::Redirect(Redirect::to(uri!(
            crate::site::account::two_factor::login_code_page(next = Some(next))
        ))));
    }
    Ok(Reply::Redirect(Redirect::to(next)))
}

#[post("/logout", data = "<_form>")]
async fn logout(
    db: DbRef,
    visitor: &Visitor,
    jar: &CookieJar<'_>,
    _form: Protected<Nothing>,
) -> AppResult<Flash<Redirect>> {
    if let Some(sid) = visitor.session_id() {
        db.run(move |c| session::delete(c, sid)).await?;
    }
    clear_session_cookie(jar);
    Ok(Flash::success(
        Redirect::to("/"),
        visitor.lang.t("flash-logged-out"),
    ))
}

/// The language switch in the header: a cookie for everyone, and the account's setting for
/// signed-in users.
#[post("/lang", data = "<form>")]
async fn set_lang(
    db: DbRef,
    visitor: &Visitor,
    jar: &CookieJar<'_>,
    form: Protected<LangForm>,
) -> AppResult<Redirect> {
    let lang = Lang::parse(&form.lang).ok_or(AppError::NotFound)?;
    jar.add(lang.cookie());
    if let Some(user) = &visitor.user {
        let id = user.id;
        db.run(move |c| model::set_locale(c, id, lang.code()))
            .await?;
    }
    Ok(Redirect::to(safe_next(form.next.as_deref())))
}
