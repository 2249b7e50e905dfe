//! My account and the links sent by email: verify an address, forgot / reset / set a
//! password, change the password or the address (the current password is asked), log out
//! everywhere.

use std::sync::Arc;

use chrono::Duration;
use rocket::http::CookieJar;
use rocket::response::{Flash, Redirect};
use rocket::{get, post, routes, FromForm, Route, State};
use serde::Serialize;

use crate::accounts::model::{self, User};
use crate::accounts::security::{self, Verified};
use crate::accounts::tokens::{self, Purpose};
use crate::auth::password::Hasher;
use crate::auth::session;
use crate::auth::Role;
use crate::config::Settings;
use crate::config::Shop;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ids::UserId;
use crate::mail::MailWaker;
use crate::site::account::forms::password_problems;
use crate::site::account::pages::current_password_ok;
use crate::site::account::pages::sent_page;
use crate::site::account::pages::Signing;
use crate::site::csrf::Nothing;
use crate::site::csrf::Protected;
use crate::site::db::DbRef;
use crate::site::forms::clip_token;
use crate::site::forms::FormView;
use crate::site::guards::ClientAddress;
use crate::site::guards::UserAgent;
use crate::site::page::Html;
use crate::site::page::PageCtx;
use crate::site::page::Reply;
use crate::site::visitor::clear_session_cookie;
use crate::site::visitor::set_session_cookie;
use crate::site::visitor::Customer;
use crate::site::visitor::Visitor;

pub fn routes() -> Vec<Route> {
    routes![
        account,
        change_password,
        change_email,
        end_all_sessions,
        export_data,
        delete_account,
        verify_page,
        verify,
        forgot_page,
        forgot,
        set_password_page,
        set_password,
        reset_password_page,
        reset_password,
    ]
}

// ---- my account ---------------------------------------------------------------------------

#[derive(Debug, FromForm, Serialize, Default)]
pub struct PasswordChangeForm {
    #[field(default = String::new())]
    #[serde(skip)]
    pub current_password: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password: String,
    #[field(default = String::new())]
    #[serde(skip)]
    pub password_confirm: String,
}

#[derive(Debug, FromForm, Serialize, Default)]
pub struct EmailChangeForm {
    #[field(default = String::new())]
    #[serde(skip)]
    pub current_password: String,
    #[field(default = String::new())]
    pub email: String,
}

#[derive(Serialize)]
struct AccountPage {
    account: User,
    password_form: FormView<PasswordChangeForm>,
    email_form: FormView<EmailChangeForm>,
}

async fn account_page(
    db: &DbRef,
    ctx: &PageCtx<'_>,
    id: UserId,
    password_form: FormView<PasswordChangeForm>,
    email_form: FormView<EmailChangeForm>,
) -> AppResult<Html> {
    let account = db.run(move |c| model::find(c, id)).await?;
    Ok(ctx.render(
        "account/account",
        AccountPage {
            account,
            password_form,
            email_form,
        },
    ))
}

#[get("/account")]
async fn account(db: DbRef, ctx: PageCtx<'_>, customer: Customer) -> AppResult<Html> {
    let empty = (
        FormView::new(Default::default()),
        FormView::new(Default::default()),
    );
    account_page(&db, &ctx, customer.0.id, empty.0, empty.1).await
}

/// The first problem of a new password, as (field, error code), if any.
fn new_password_problem(
    password: &str,
    confirm: &str,
    email: &str,
) -> Option<(&'static str, &'static str)> {
    password_problems(password, confirm, email)
        .into_iter()
        .next()
}

#[post("/account/password", data = "<form>")]
async fn change_password(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    hasher: &State<Hasher>,
    form: Protected<PasswordChangeForm>,
) -> AppResult<Reply> {
    let (form, lang, me) = (form.0, ctx.lang(), customer.0);
    let problem = if !current_password_ok(&db, hasher, me.id, &form.current_password).await? {
        Some(("current_password", "current_password"))
    } else {
        new_password_problem(&form.password, &form.password_confirm, &me.email)
    };
    if let Some((field, code)) = problem {
        let view = FormView::new(form).error(field, lang.t(&format!("err-{code}")));
        let page = account_page(&db, &ctx, me.id, view, FormView::new(Default::default()));
        return Ok(Reply::Invalid(page.await?));
    }
    let hash = hasher.hash(&form.password).await?;
    let (id, sid) = (me.id, me.session_id);
    db.run(move |c| security::change_password(c, id, sid, &hash))
        .await?;
    Ok(Reply::Flash(Flash::success(
        Redirect::to("/account"),
        lang.t("flash-password-changed"),
    )))
}

#[post("/account/email", data = "<form>")]
async fn change_email(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    with: Signing<'_>,
    client: ClientAddress,
    form: Protected<EmailChangeForm>,
) -> AppResult<Reply> {
    let (mut form, lang, me) = (form.0, ctx.lang(), customer.0);
    let hasher = with.hasher;
    form.email = form.email.trim().to_string();
    let problem = if !current_password_ok(&db, hasher, me.id, &form.current_password).await? {
        Some(("current_password", "err-current_password"))
    } else if !validator::ValidateEmail::validate_email(&form.email) || form.email.len() > 254 {
        Some(("email", "err-email"))
    } else {
        None
    };
    if let Some((field, key)) = problem {
        let view = FormView::new(form).error(field, lang.t(key));
        let page = account_page(&db, &ctx, me.id, FormView::new(Default::default()), view);
        return Ok(Reply::Invalid(page.await?));
    }
    let (shop, id, email) = (Arc::clone(with.shop), me.id, form.email.clone());
    let asked = db
        .run(move |c| security::request_email_change(c, &shop, id, &email, lang, &client.0))
        .await?;
    if asked == security::Asked::TooMany {
        let view = FormView::new(form).error("email", lang.t("err-mail-too-many"));
        let page = account_page(&db, &ctx, me.id, FormView::new(Default::default()), view);
        return Ok(Reply::TooMany(page.await?));
    }
    with.waker.wake();
    Ok(Reply::Page(sent_page(&ctx, "sent-email-change")))
}

/// "Log out everywhere": every session of the account ends, this one included.
#[post("/account/sessions/end", data = "<_form>")]
async fn end_all_sessions(
    db: DbRef,
    customer: Customer,
    jar: &CookieJar<'_>,
    visitor: &Visitor,
    _form: Protected<Nothing>,
) -> AppResult<Flash<Redirect>> {
    let id = customer.0.id;
    db.run(move |c| session::delete_for_user(c, id)).await?;
    clear_session_cookie(jar);
    Ok(Flash::success(
        Redirect::to("/login"),
        visitor.lang.t("flash-logged-out-everywhere"),
    ))
}

/// A copy of everything the shop holds about the customer, as a JSON download.
#[derive(rocket::Responder)]
#[response(content_type = "json")]
pub struct JsonDownload {
    body: String,
    disposition: rocket::http::Header<'static>,
}

#[get("/account/data")]
async fn export_data(db: DbRef, customer: Customer) -> AppResult<JsonDownload> {
    let id = customer.0.id;
    let export = db.run(move |c| crate::privacy::export(c, id)).await?;
    let body = serde_json::to_string_pretty(&export)
        .map_err(|e| crate::error::AppError::Internal(format!("export: {e}")))?;
    Ok(JsonDownload {
        body,
        disposition: rocket::http::Header::new(
            "Content-Disposition",
            "attachment; filename=\"my-data.json\"",
        ),
    })
}

#[derive(Debug, FromForm, Default)]
pub struct DeleteAccountForm {
    #[field(default = String::new())]
    pub current_password: String,
}

/// Erases the account (orders kept, anonymised). The password is asked again; staff accounts
/// are removed by an admin, not by themselves.
#[post("/account/delete", data = "<form>")]
async fn delete_account(
    db: DbRef,
    ctx: PageCtx<'_>,
    customer: Customer,
    hasher: &State<Hasher>,
    jar: &CookieJar<'_>,
    form: Protected<DeleteAccountForm>,
) -> AppResult<Reply> {
    let (lang, me) = (ctx.lang(), customer.0);
    if me.role != Role::Customer {
        return Ok(Reply::Flash(Flash::error(
            Redirect::to("/account"),
            lang.t("err-staff_cannot_erase"),
        )));
    }
    if !current_password_ok(&db, hasher, me.id, &form.current_password).await? {
        return Ok(Reply::Flash(Flash::error(
            Redirect::to("/account"),
            lang.t("err-current_password"),
        )));
    }
    let id = me.id;
    db.run(move |c| crate::privacy::erase(c, id)).await?;
    clear_session_cookie(jar);
    Ok(Reply::Flash(Flash::success(
        Redirect::to("/"),
        lang.t("flash-account-erased"),
    )))
}

// ---- links sent by email ------------------------------------------------------------------

#[derive(Debug, FromForm, Serialize, Default)]
pub struct TokenForm {
    #[field(default = String::new())]
    pub token: String,
}

#[derive(Serialize)]
struct VerifyPage {
    token: String,
    valid: bool,
    taken: bool,
}

/// Opening the link only shows a button: a GET changes nothing (mail scanners follow links).
#[get("/account/verify?<token>")]
async fn verify_page(db: DbRef, ctx: PageCtx<'_>, token: Option<String>) -> AppResult<Html> {
    let token = clip_token(token);
    let t = token.clone();
    let valid = db
        .run(move |c| tokens::peek(c, &t, Purpose::VerifyEmail))
        .await?
        .is_some();
    Ok(ctx.render(
        "account/verify",
        VerifyPage {
            token,
            valid,
            taken: false,
        },
    ))
}

#[post("/account/verify", data = "<form>")]
async fn verify(
    db: DbRef,
    ctx: PageCtx<'_>,
    settings: &State<Settings>,
    jar: &CookieJar<'_>,
    agent: UserAgent,
    form: Protected<TokenForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let token = clip_token(Some(form.0.token));
    let t = token.clone();
    let outcome = db.run(move |c| security::verify(c, &t)).await?;
    let invalid = |taken: bool| {
        Reply::Invalid(ctx.render(
            "account/verify",
            VerifyPage {
                token: token.clone(),
                valid: false,
                taken,
            },
        ))
    };
    match outcome {
        Verified::Invalid => Ok(invalid(false)),
        Verified::EmailTaken => Ok(invalid(true)),
        Verified::NewEmail { .. } => Ok(Reply::Flash(Flash::success(
            Redirect::to("/account"),
            lang.t("flash-email-changed"),
        ))),
        // A customer who just confirmed the address is signed in; staff sign in themselves
        // (with their second factor).
        Verified::Account {
            user_id,
            role: Role::Customer,
        } => {
            let previous = ctx.visitor.session_id();
            let lifetime = Duration::hours(settings.session_hours);
            let session = db
                .run(move |c| {
                    c.write_tx(|c| {
                        let agent = agent.0.as_deref();
                        session::replace(c, previous, user_id, lifetime, agent, false)
                    })
                })
                .await?;
            set_session_cookie(jar, session, settings);
            Ok(Reply::Flash(Flash::success(
                Redirect::to("/account"),
                lang.t("flash-registered"),
            )))
        }
        Verified::Account { .. } => Ok(Reply::Flash(Flash::success(
            Redirect::to("/login"),
            lang.t("flash-email-verified"),
        ))),
    }
}

#[derive(Debug, FromForm, Serialize, Default)]
pub struct ForgotForm {
    #[field(default = String::new())]
    pub email: String,
}

#[get("/password/forgot")]
fn forgot_page(ctx: PageCtx<'_>) -> Html {
    ctx.render("account/forgot", FormView::new(ForgotForm::default()))
}

/// Always the same answer; a link goes out only when the address has an account.
#[post("/password/forgot", data = "<form>")]
async fn forgot(
    db: DbRef,
    ctx: PageCtx<'_>,
    shop: &State<Arc<Shop>>,
    waker: &State<MailWaker>,
    client: ClientAddress,
    form: Protected<ForgotForm>,
) -> AppResult<Reply> {
    let lang = ctx.lang();
    let email = form.0.email.trim().to_string();
    if !validator::ValidateEmail::validate_email(&email) || email.len() > 254 {
        let view = FormView::new(ForgotForm { email }).error("email", lang.t("err-email"));
        return Ok(Reply::Invalid(ctx.render("account/forgot", view)));
    }
    let shop = Arc::clone(shop);
    db.run(move |c| security::request_reset(c, &shop, &email, lang, &client.0))
        .await?;
    waker.wake();
    Ok(Reply::Page(sent_page(&ctx, "sent-reset")))
}

#[derive(Debug, FromForm, Serialize, Default)]
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
    action: &'static str,
    #[serde(flatten)]
    form: FormView<SetPasswordForm>,
}

fn action_of(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::ResetPassword => "/password/reset",
        _ => "/password/set",
    }
}

/// The page a one-time link opens: choose a password. Looking at it uses nothing up.
async fn password_page(
    db: DbRef,
    ctx: PageCtx<'_>,
    token: Option<String>,
    purpose: Purpose,
) -> AppResult<Html> {
    let token = clip_token(token);
    let t = token.clone();
    let valid = db
        .run(move |c| tokens::peek(c, &t, purpose))
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
            action: action_of(purpose),
            form: FormView::new(form),
        },
    ))
}

async fn password_submit(
    db: DbRef,
    ctx: PageCtx<'_>,
    hasher: &Hasher,
    form: SetPasswordForm,
    purpose: Purpose,
) -> AppResult<Reply> {
    let lang: Lang = ctx.lang();
    let page = |valid: bool, form: FormView<SetPasswordForm>| {
        Reply::Invalid(ctx.render(
            "account/set_password",
            SetPasswordPage {
                valid,
                action: action_of(purpose),
                form,
            },
        ))
    };
    if let Some((field, code)) = new_password_problem(&form.password, &form.password_confirm, "") {
        let view = FormView::new(form).error(field, lang.t(&format!("err-{code}")));
        return Ok(page(true, view));
    }
    let hash = hasher.hash(&form.password).await?;
    let token = form.token.clone();
    let done = db
        .run(move |c| security::set_password_with_token(c, &token, purpose, &hash))
        .await?;
    match done {
        Some(_) => Ok(Reply::Flash(Flash::success(
            Redirect::to("/login"),
            lang.t("flash-password-set"),
        ))),
        None => Ok(page(false, FormView::new(form))),
    }
}

#[get("/password/set?<token>")]
async fn set_password_page(db: DbRef, ctx: PageCtx<'_>, token: Option<String>) -> AppResult<Html> {
    password_page(db, ctx, token, Purpose::SetPassword).await
}

#[post("/password/set", data = "<form>")]
async fn set_password(
    db: DbRef,
    ctx: PageCtx<'_>,
    hasher: &State<Hasher>,
    form: Protected<SetPasswordForm>,
) -> AppResult<Reply> {
    password_submit(db, ctx, hasher, form.0, Purpose::SetPassword).await
}

#[get("/password/reset?<token>")]
async fn reset_password_page(
    db: DbRef,
    ctx: PageCtx<'_>,
    token: Option<String>,
) -> AppResult<Html> {
    password_page(db, ctx, token, Purpose::ResetPassword).await
}

#[post("/password/reset", data = "<form>")]
async fn reset_password(
    db: DbRef,
    ctx: PageCtx<'_>,
    hasher: &State<Hasher>,
    form: Protected<SetPasswordForm>,
) -> AppResult<Reply> {
    password_submit(db, ctx, hasher, form.0, Purpose::ResetPassword).await
}
