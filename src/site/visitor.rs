//! Request guards: `Visitor` (loaded once per request), and the role guards built on it.
//! A handler that takes `Staff` cannot run for anyone else.

use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::outcome::try_outcome;
use rocket::request::{FromRequest, Outcome, Request};

use crate::auth::session::{self, SessionUser};
use crate::auth::{new_token, Keys, Role};
use crate::cart::CartOwner;
use crate::config::Settings;
use crate::i18n::Lang;
use crate::ids::SessionId;
use crate::site::db::DbRef;

pub const SESSION_COOKIE: &str = "sid";
pub const ANON_COOKIE: &str = "aid";

/// Everyone who makes a request: maybe a signed-in user, always a token that binds their CSRF
/// tokens (the session token, or an anonymous id in a cookie), and their language.
pub struct Visitor {
    pub user: Option<SessionUser>,
    /// A session whose password was right but whose second factor is still awaited.
    pub pending: Option<SessionUser>,
    binding: String,
    pub lang: Lang,
    /// A signed-in visitor's cart count, read with the session (pages show it in the header).
    pub cart_count: Option<i64>,
}

impl Visitor {
    /// The synchronizer token forms must carry: a MAC of this visitor's session (or anonymous)
    /// token, so another session's token never matches.
    pub fn csrf_token(&self, keys: &Keys) -> String {
        keys.sign("csrf", &self.binding)
    }

    /// This visitor's session, signed in or waiting for its second factor.
    pub fn session_id(&self) -> Option<SessionId> {
        self.user
            .as_ref()
            .or(self.pending.as_ref())
            .map(|u| u.session_id)
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    /// The anonymous visitor's cookie token (binds their cart), when not signed in.
    pub fn anon_token(&self) -> Option<&str> {
        self.binding.strip_prefix("a:")
    }

    /// The anonymous token from the cookie even when signed in: a login merges that cart.
    pub fn anon_cookie(req: &Request<'_>) -> Option<String> {
        req.cookies()
            .get(ANON_COOKIE)
            .map(|c| c.value().to_string())
    }
}

pub fn cookie(name: &'static str, value: String, settings: &Settings) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.secure_cookies)
        .build()
}

/// Sets the session cookie after a successful login.
pub fn set_session_cookie(jar: &CookieJar<'_>, token: String, settings: &Settings) {
    let mut c = cookie(SESSION_COOKIE, token, settings);
    c.set_max_age(rocket::time::Duration::hours(settings.session_hours));
    jar.add(c);
}

pub fn clear_session_cookie(jar: &CookieJar<'_>) {
    jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
}

async fn load_visitor(req: &Request<'_>) -> Result<Visitor, Status> {
    let settings = req
        .rocket()
        .state::<Settings>()
        .ok_or(Status::InternalServerError)?;
    let jar = req.cookies();
    let mut user = None;
    let mut pending = None;
    let mut binding = None;
    let mut cart_count = None;
    let idle = session::Idle::minutes(
        settings.session_idle_minutes,
        settings.staff_session_idle_minutes,
    );
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        let db = match req.guard::<DbRef>().await {
            Outcome::Success(db) => db,
            _ => return Err(Status::ServiceUnavailable),
        };
        let lookup = token.clone();
        // The cart badge's count comes with the session: one hand-off for both.
        let found = db
            .run(move |c| -> diesel::QueryResult<_> {
                let found = session::find_active(c, &lookup, idle)?;
                let count = match &found {
                    Some(u) if !u.second_factor_pending => {
                        Some(crate::cart::count::of_user(c, u.id)?)
                    }
                    _ => None,
                };
                Ok(found.map(|f| (f, count)))
            })
            .await;
        match found {
            Ok(Some((found, count))) => {
                cart_count = count;
                if found.second_factor_pending {
                    pending = Some(found);
                } else {
                    user = Some(found);
                }
                binding = Some(format!("s:{token}"));
            }
            Ok(None) => clear_session_cookie(jar),
            Err(e) => {
                log::error!("session lookup failed: {e}");
                // 503 when the database went away under the request.
                return Err(crate::error::AppError::Db(e).status());
            }
        }
    }
    let binding = match binding {
        Some(b) => b,
        None => {
            let anon = match jar.get(ANON_COOKIE) {
                Some(c) if c.value().len() >= 32 => c.value().to_string(),
                _ => {
                    let (token, _) = new_token();
                    jar.add(cookie(ANON_COOKIE, token.clone(), settings));
                    token
                }
            };
            format!("a:{anon}")
        }
    };
    let lang = user
        .as_ref()
        .and_then(|u| u.locale.as_deref())
        .and_then(Lang::parse)
        .unwrap_or_else(|| Lang::from_request_headers(req));
    Ok(Visitor {
        user,
        pending,
        binding,
        lang,
        cart_count,
    })
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for &'r Visitor {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let cached: &Result<Visitor, Status> = req
            .local_cache_async(async { load_visitor(req).await })
            .await;
        match cached {
            Ok(v) => Outcome::Success(v),
            Err(status) => Outcome::Error((*status, ())),
        }
    }
}

/// Any signed-in account (customers, and staff shopping too). Anonymous → 401, which the
/// catcher turns into a redirect to the login page.
pub struct Customer(pub SessionUser);

/// Staff or admin. Anonymous → 401 (login), customer → 403.
pub struct Staff(pub SessionUser);

/// Admin only. Anonymous → 401, others → 403.
pub struct Admin(pub SessionUser);

/// Set when a staff member is refused because the shop requires two-factor authentication
/// and theirs is not set up yet: the 403 page then points to its set-up.
#[derive(Debug, Clone, Copy, Default)]
pub struct NeedsSecondFactor(pub bool);

async fn with_role(req: &Request<'_>, min: Role) -> Outcome<SessionUser, ()> {
    let visitor = try_outcome!(req.guard::<&Visitor>().await);
    match &visitor.user {
        None => Outcome::Error((Status::Unauthorized, ())),
        Some(u) if u.role >= min => {
            if u.role.is_staff() && !u.totp_enabled && min.is_staff() && second_factor_required(req)
            {
                req.local_cache(|| NeedsSecondFactor(true));
                return Outcome::Error((Status::Forbidden, ()));
            }
            Outcome::Success(u.clone())
        }
        Some(_) => Outcome::Error((Status::Forbidden, ())),
    }
}

fn second_factor_required(req: &Request<'_>) -> bool {
    req.rocket()
        .state::<std::sync::Arc<crate::config::Shop>>()
        .is_some_and(|shop| shop.settings().require_staff_2fa)
}

/// A signed-in user who confirmed their password (and code) within `reauth_minutes`: needed
/// before refunds, role and staff changes, exports and shop settings. Otherwise 428, which
/// the catcher turns into the confirmation page and back.
pub struct Fresh(pub SessionUser);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Fresh {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let visitor = try_outcome!(req.guard::<&Visitor>().await);
        let Some(user) = &visitor.user else {
            return Outcome::Error((Status::Unauthorized, ()));
        };
        let minutes = req
            .rocket()
            .state::<Settings>()
            .map_or(10, |s| s.reauth_minutes);
        let fresh = user
            .reauth_at
            .is_some_and(|at| crate::db::now() - at < chrono::Duration::minutes(minutes));
        if fresh {
            Outcome::Success(Fresh(user.clone()))
        } else {
            Outcome::Error((Status::PreconditionRequired, ()))
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Customer {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        with_role(req, Role::Customer).await.map(Customer)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Staff {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        with_role(req, Role::Staff).await.map(Staff)
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admin {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        with_role(req, Role::Admin).await.map(Admin)
    }
}

pub const LANG_COOKIE: &str = "lang";

impl Lang {
    /// Negotiation when no user setting applies: the `lang` cookie, then the browser.
    pub fn from_request_headers(req: &Request<'_>) -> Lang {
        req.cookies()
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .or_else(|| {
                req.headers()
                    .get_one("Accept-Language")
                    .and_then(Lang::from_accept_language)
            })
            .unwrap_or_default()
    }

    pub fn cookie(self) -> Cookie<'static> {
        Cookie::build((LANG_COOKIE, self.code()))
            .path("/")
            .same_site(SameSite::Lax)
            .http_only(true)
            .max_age(rocket::time::Duration::days(365))
            .build()
    }
}

/// The user's setting first, then the `lang` cookie, then `Accept-Language`, else French.
#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match req.guard::<&Visitor>().await {
            Outcome::Success(v) => Outcome::Success(v.lang),
            _ => Outcome::Success(Lang::from_request_headers(req)),
        }
    }
}

impl CartOwner {
    /// The visitor's cart: their account's when signed in, else their browser's.
    pub fn of(visitor: &Visitor) -> CartOwner {
        match (&visitor.user, visitor.anon_token()) {
            (Some(u), _) => CartOwner::User(u.id),
            (None, Some(token)) => CartOwner::anonymous(token),
            // Unreachable in practice: anonymous visitors always have a token.
            (None, None) => CartOwner::Anon(String::new()),
        }
    }
}
