//! Register, log in, log out, my account, language switch.

use std::sync::Arc;

use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route};

use crate::accounts::login::{self as sign_in, OnSignIn};
use crate::accounts::model;
use crate::accounts::security;
use crate::auth::session;
use crate::cart::model as cart;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::site::account::forms::LangForm;
use crate::site::account::forms::LoginForm;
use crate::site::account::forms::RegisterForm;
use crate::site::account::pages::{sent_page, Signing};
use crate::site::csrf::safe_next;
use crate::site::csrf::Nothing;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::db::LazyDb;
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
    with: Signing<'_>,
    client: ClientAddress,
    form: Protected<RegisterForm>,
) -> AppResult<Reply> {
    let form = form.0;
    let lang = ctx.lang();
    if let Err(errors) = form.check() {
        let view = FormView::with_errors(form, &errors, lang);
        return Ok(Reply::Invalid(ctx.render("account/register", view)));
    }
    // Hashing first, whatever the address, keeps both answers equally slow.
    let hash = with.hasher.hash(&form.password).await?;
    let (email, name) = (form.email.clone(), form.display_name.clone());
    let shop = Arc::clone(with.shop);
    let asked = db
        .run(move |c| {
            let new = security::NewCustomer {
                email: &email,
                password_hash: &hash,
                name: &name,
                lang,
            };
            security::register(c, &shop, new, &client.0)
        })
        .await?;
    if asked == security::Asked::TooMany {
        let view = FormView::new(form).error("email", lang.t("err-mail-too-many"));
        return Ok(Reply::TooMany(ctx.render("account/register", view)));
    }
    with.waker.wake();
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

#[post("/login", data = "<form>")]
async fn login(
    lazy: LazyDb,
    ctx: PageCtx<'_>,
    jar: &CookieJar<'_>,
    agent: UserAgent,
    client: ClientAddress,
    with: Signing<'_>,
    form: Protected<LoginForm>,
) -> AppResult<Reply> {
    let (form, lang) = (form.0, ctx.lang());
    let attempt = sign_in::Attempt {
        email: form.email.clone(),
        password: form.password.clone(),
        client_ip: client.0,
        user_agent: agent.0,
        previous_session: ctx.visitor.session_id(),
        lang,
    };
    // The visitor's cart joins the account's in the new session's transaction.
    let merge = ctx.visitor.anon_token().map(|token| {
        let token = token.to_string();
        Box::new(move |c: &mut DbConn, user| cart::merge_into_user(c, &token, user)) as OnSignIn
    });
    let outcome =
        sign_in::attempt(&lazy, with.hasher, with.shop, with.waker, attempt, merge).await?;
    Ok(login_reply(&ctx, jar, &with.shop.settings(), form, outcome))
}

/// The login page again with what went wrong, or the next page once signed in.
fn login_reply(
    ctx: &PageCtx<'_>,
    jar: &CookieJar<'_>,
    settings: &Settings,
    form: LoginForm,
    outcome: sign_in::Outcome,
) -> Reply {
    let lang = ctx.lang();
    let refused = |field, msg: String| FormView::new(form.clone()).error(field, msg);
    match outcome {
        sign_in::Outcome::Locked { minutes } => {
            let msg = lang.t_args("err-login_locked", &[("minutes", minutes.to_string())]);
            Reply::TooMany(ctx.render("account/login", refused("password", msg)))
        }
        sign_in::Outcome::Failed => {
            let view = refused("password", lang.t("err-login_failed"));
            Reply::Invalid(ctx.render("account/login", view))
        }
        sign_in::Outcome::Unverified => {
            let view = refused("email", lang.t("err-email_unverified"));
            Reply::Invalid(ctx.render("account/login", view))
        }
        sign_in::Outcome::SignedIn {
            token,
            second_factor,
        } => {
            set_session_cookie(jar, token, settings);
            let next = safe_next(form.next.as_deref());
            Reply::Redirect(Redirect::to(if second_factor {
                // The password was right; the session signs in once the code is given.
                uri!(crate::site::account::two_factor::login_code_page(
                    next = Some(next)
                ))
                .to_string()
            } else {
                next
            }))
        }
    }
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
