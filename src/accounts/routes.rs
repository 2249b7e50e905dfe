//! Register, log in, log out, my account, language switch.

use chrono::Duration;
use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, uri, Route, State};
use serde::Serialize;

use super::forms::{LangForm, LoginForm, RegisterForm};
use super::model::{self, CreateUserError, User};
use super::throttle;
use super::tokens::{self, Purpose};
use crate::auth::csrf::{safe_next, Nothing};
use crate::auth::guards::{clear_session_cookie, set_session_cookie};
use crate::auth::password::Hasher;
use crate::auth::{session, Customer, Protected, Role, Visitor};
use crate::cart::model as cart;
use crate::config::Settings;
use crate::db::DbRef;
use crate::error::{AppError, AppResult};
use crate::web::forms::FormView;
use crate::web::i18n::Lang;
use crate::web::{Html, PageCtx, Reply};

pub fn routes() -> Vec<Route> {
    routes![
        register_page,
        register,
        login_page,
        login,
        logout,
        account,
        set_lang,
        set_password_page,
        set_password
    ]
}

/// The user agent recorded with a session, to help a user recognise their devices.
pub struct UserAgent(Option<String>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for UserAgent {
    type Error = std::convert::Infallible;
    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(UserAgent(
            req.headers().get_one("User-Agent").map(str::to_string),
        ))
    }
}

#[get("/register")]
fn register_page(ctx: PageCtx<'_>) -> Html {
    ctx.render("account/register", FormView::new(RegisterForm::default()))
}

#[allow(clippy::too_many_arguments)]
#[post("/register", data = "<form>")]
async fn register(
    db: DbRef,
    ctx: PageCtx<'_>,
    hasher: &State<Hasher>,
    settings: &State<Settings>,
    jar: &CookieJar<'_>,
    agent: UserAgent,
    form: Protected<RegisterForm>,
) -> AppResult<Reply> {
    let form = form.0;
    let lang = ctx.lang();
    if let Err(errors) = form.check() {
        let view = FormView::with_errors(form, &errors, lang);
        return Ok(Reply::Invalid(ctx.render("account/register", view)));
    }
    let hash = hasher.hash(&form.password).await?;
    let (email, name) = (form.email.clone(), form.display_name.clone());
    let lifetime = Duration::hours(settings.session_hours);
    let anon_cart = ctx.visitor.anon_token().map(str::to_string);
    let created = db
        .run(move |c| {
            c.write_tx(|c| {
                let id = model::create(c, &email, &hash, Role::Customer, &name, Some(lang.code()))?;
                if let Some(token) = &anon_cart {
                    cart::merge_into_user(c, token, id)?;
                }
                Ok::<_, CreateUserError>(session::create(c, id, lifetime, agent.0.as_deref())?)
            })
        })
        .await;
    match created {
        Ok(token) => {
            set_session_cookie(jar, token, settings);
            Ok(Reply::Flash(Flash::success(
                Redirect::to(uri!(account)),
                lang.t("flash-registered"),
            )))
        }
        Err(CreateUserError::EmailTaken) => {
            let view = FormView::new(form).error("email", lang.t("err-email_taken"));
            Ok(Reply::Invalid(ctx.render("account/register", view)))
        }
        Err(CreateUserError::Db(e)) => Err(e.into()),
    }
}

#[get("/login?<next>")]
pub fn login_page(ctx: PageCtx<'_>, next: Option<String>) -> Html {
    let form = LoginForm {
        next: Some(safe_next(next.as_deref())),
        ..LoginForm::default()
    };
    ctx.render("account/login", FormView::new(form))
}

/// The client's address, as Rocket sees it (the socket, or the trusted proxy header).
pub struct ClientAddress(pub String);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for ClientAddress {
    type Error = std::convert::Infallible;
    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        let ip = req
            .client_ip()
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        rocket::request::Outcome::Success(ClientAddress(ip))
    }
}

#[derive(Serialize)]
struct LockEmail<'a> {
    shop_name: &'a str,
    minutes: i64,
}

#[allow(clippy::too_many_arguments)]
#[post("/login", data = "<form>")]
async fn login(
    db: DbRef,
    ctx: PageCtx<'_>,
    visitor: &Visitor,
    hasher: &State<Hasher>,
    settings: &State<Settings>,
    jar: &CookieJar<'_>,
    agent: UserAgent,
    address: ClientAddress,
    shop: &State<std::sync::Arc<crate::checkout::service::Shop>>,
    waker: &State<crate::mail::MailWaker>,
    form: Protected<LoginForm>,
) -> AppResult<Reply> {
    let form = form.0;
    let lang = ctx.lang();
    let email = model::normalize_email(&form.email);
    let (key, ip) = (email.clone(), address.0.clone());
    let locked = db.run(move |c| throttle::check(c, &key, &ip)).await?;
    if let Some(until) = locked {
        let minutes = ((until - session::now()).num_seconds() + 59) / 60;
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
    let ok = hasher.verify(&form.password, stored).await?;
    let (key, ip, known) = (email.clone(), address.0.clone(), user.is_some());
    let shop = std::sync::Arc::clone(shop);
    let warned = db
        .run(move |c| {
            c.write_tx(|c| {
                let starts_lockout = throttle::record(c, &key, &ip, ok)?;
                if starts_lockout && known {
                    let data = LockEmail {
                        shop_name: &shop.settings().shop_name,
                        minutes: throttle::PER_ACCOUNT.max_delay_secs / 60,
                    };
                    let mail = shop
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
    // A fresh session on every login: the old one (if any) is ended, never reused.
    let previous = visitor.user.as_ref().map(|u| u.session_id);
    let anon_cart = visitor.anon_token().map(str::to_string);
    let lifetime = Duration::hours(settings.session_hours);
    let token = db
        .run(move |c| {
            c.write_tx(|c| {
                if let Some(old) = previous {
                    session::delete(c, old)?;
                }
                if let Some(token) = &anon_cart {
                    cart::merge_into_user(c, token, user.id)?;
                }
                session::create(c, user.id, lifetime, agent.0.as_deref())
            })
        })
        .await?;
    set_session_cookie(jar, token, settings);
    Ok(Reply::Redirect(Redirect::to(safe_next(
        form.next.as_deref(),
    ))))
}

#[post("/logout", data = "<_form>")]
async fn logout(
    db: DbRef,
    visitor: &Visitor,
    jar: &CookieJar<'_>,
    _form: Protected<Nothing>,
) -> AppResult<Flash<Redirect>> {
    if let Some(user) = &visitor.user {
        let sid = user.session_id;
        db.run(move |c| session::delete(c, sid)).await?;
    }
    clear_session_cookie(jar);
    Ok(Flash::success(
        Redirect::to("/"),
        visitor.lang.t("flash-logged-out"),
    ))
}

#[derive(Serialize)]
struct AccountPage {
    account: User,
}

#[get("/account")]
async fn account(db: DbRef, ctx: PageCtx<'_>, customer: Customer) -> AppResult<Html> {
    let id = customer.0.id;
    let account = db.run(move |c| model::find(c, id)).await?;
    Ok(ctx.render("account/account", AccountPage { account }))
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

#[derive(Debug, rocket::FromForm, Serialize, Default)]
pub struct SetPasswordForm {
    #[field(default = String::new())]
    pub token: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password_confirm: String,
}

#[derive(Serialize)]
struct SetPasswordPage {
    valid: bool,
    #[serde(flatten)]
    form: FormView<SetPasswordForm>,
}

/// The page a one-time link opens: choose a password. Looking at it uses nothing up.
#[get("/password/set?<token>")]
async fn set_password_page(db: DbRef, ctx: PageCtx<'_>, token: Option<String>) -> AppResult<Html> {
    let token: String = token.unwrap_or_default().chars().take(100).collect();
    let t = token.clone();
    let valid = db
        .run(move |c| tokens::peek(c, &t, Purpose::SetPassword))
        .await?
        .is_some();
    let form = SetPasswordForm {
        token,
        ..SetPasswordForm::default()
    };
    Ok(ctx.render(
        "account/set_password",
        SetPasswordPage {
            valid,
            form: FormView::new(form),
        },
    ))
}

#[post("/password/set", data = "<form>")]
async fn set_password(
    db: DbRef,
    ctx: PageCtx<'_>,
    hasher: &State<Hasher>,
    form: Protected<SetPasswordForm>,
) -> AppResult<Reply> {
    let form = form.0;
    let lang = ctx.lang();
    let len = form.password.chars().count();
    let error = if !(crate::auth::password::MIN_LEN..=crate::auth::password::MAX_LEN).contains(&len)
    {
        Some(("password", "err-password_length"))
    } else if form.password != form.password_confirm {
        Some(("password_confirm", "err-password_mismatch"))
    } else {
        None
    };
    if let Some((field, key)) = error {
        let view = FormView::new(form).error(field, lang.t(key));
        return Ok(Reply::Invalid(ctx.render(
            "account/set_password",
            SetPasswordPage {
                valid: true,
                form: view,
            },
        )));
    }
    let hash = hasher.hash(&form.password).await?;
    let token = form.token.clone();
    let done = db
        .run(move |c| {
            crate::accounts::staff::set_password_with_token(c, &token, Purpose::SetPassword, &hash)
        })
        .await?;
    match done {
        Some(_) => Ok(Reply::Flash(Flash::success(
            Redirect::to(uri!(login_page(next = None::<String>))),
            lang.t("flash-password-set"),
        ))),
        None => Ok(Reply::Invalid(ctx.render(
            "account/set_password",
            SetPasswordPage {
                valid: false,
                form: FormView::new(form),
            },
        ))),
    }
}
