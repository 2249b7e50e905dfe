//! What every page shares: the page context (user, language, CSRF token, flash, footer), the
//! replies a handler gives, pagination.

use std::sync::Arc;

use rocket::http::Status;
use rocket::outcome::try_outcome;
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket::response::{Flash, Redirect};
use rocket::Responder;
use rocket_dyn_templates::Template;
use serde::Serialize;

use crate::auth::Keys;
use crate::cart::model as cart;
use crate::config::Shop;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::money::Money;
use crate::site::db::DbRef;
use crate::site::page_cache;
use crate::site::visitor::Visitor;

/// A rendered page. Its type is set here rather than guessed from the template's name, which
/// the embedded templates of a release binary do not carry.
// Moved once per request into the response: boxing the template would cost an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Responder)]
pub enum Html {
    #[response(content_type = "html")]
    Rendered(Template),
    /// A page from the [`page_cache`], its holes filled for this visitor.
    Stored(rocket::response::content::RawHtml<String>),
}

/// What a handler answers: a page, a form re-rendered with its errors (422), or a redirect.
#[derive(Responder)]
pub enum Reply {
    Page(Html),
    #[response(status = 422)]
    Invalid(Html),
    #[response(status = 429)]
    TooMany(Html),
    Redirect(Redirect),
    Flash(Flash<Redirect>),
}

#[derive(Serialize, Clone)]
struct UserView {
    email: String,
    display_name: String,
    role: crate::auth::Role,
    is_staff: bool,
}

#[derive(Serialize, Clone)]
struct FlashView {
    kind: String,
    message: String,
}

#[derive(Serialize, Clone)]
struct LangChoice {
    code: &'static str,
    active: bool,
}

/// The parts of the context every template sees, beside the page's own data.
#[derive(Serialize, Clone)]
pub struct Chrome {
    lang: &'static str,
    langs: Vec<LangChoice>,
    user: Option<UserView>,
    csrf: String,
    flash: Option<FlashView>,
    path: String,
    /// The page's address without its query, absolute (canonical links, Open Graph).
    canonical: String,
    shop_name: String,
    /// Under the VAT franchise: no VAT shown, the mention instead.
    vat_exempt: bool,
    year: i32,
    /// The header's cart badge (HTML): a hole in pages kept for every visitor.
    cart_badge: String,
    /// Delivery methods with their prices and payment methods, for the footer and product pages.
    shipping: Vec<crate::shipping::footer::DeliveryLine>,
    /// What Corsica and overseas add to those (mainland) prices.
    shipping_extras: Option<crate::shipping::flat::ShippingExtras>,
    /// Standard delivery is free from this much of goods (0: never).
    free_shipping_from_cents: Money,
    payments: Vec<&'static str>,
    /// A form that came back after its token expired: its action and fields, as JSON for
    /// the script that fills it (`static/js/draft.js`), and the message said at the top.
    draft: Option<DraftView>,
}

#[derive(Serialize, Clone)]
struct DraftView {
    action: String,
    json: String,
}

impl Chrome {
    fn new(
        req: &Request<'_>,
        visitor: Option<&Visitor>,
        lang: Lang,
        flash: Option<FlashMessage<'_>>,
    ) -> Chrome {
        use chrono::Datelike;
        let shop = req.rocket().state::<Arc<Shop>>();
        let keys = req.rocket().state::<Keys>();
        Chrome {
            lang: lang.code(),
            langs: Lang::ALL
                .iter()
                .map(|l| LangChoice {
                    code: l.code(),
                    active: *l == lang,
                })
                .collect(),
            user: visitor.and_then(|v| v.user.as_ref()).map(|u| UserView {
                email: u.email.clone(),
                display_name: u.display_name.clone(),
                role: u.role,
                is_staff: u.role.is_staff(),
            }),
            csrf: match (visitor, keys) {
                (Some(v), Some(k)) => v.csrf_token(k),
                _ => String::new(),
            },
            flash: flash.map(|f| FlashView {
                kind: f.kind().to_string(),
                message: f.message().to_string(),
            }),
            path: req.uri().to_string(),
            canonical: format!(
                "{}{}",
                shop.map(|s| s.settings().base_url.trim_end_matches('/').to_string())
                    .unwrap_or_default(),
                req.uri().path()
            ),
            shop_name: shop
                .map(|s| s.settings().shop_name.clone())
                .unwrap_or_default(),
            vat_exempt: shop.is_some_and(|s| s.settings().vat_franchise),
            year: chrono::Utc::now().year(),
            cart_badge: cart_badge(lang, 0),
            shipping: match (shop, req.rocket().state::<Arc<page_cache::PageCache>>()) {
                (Some(shop), cache) => match cache.and_then(|c| c.delivery()) {
                    Some(own) => own.as_ref().clone(),
                    None => crate::shipping::footer::flat(&shop.settings()),
                },
                (None, _) => Vec::new(),
            },
            shipping_extras: shop.map(|s| crate::shipping::flat::ShippingExtras::of(&s.settings())),
            free_shipping_from_cents: shop
                .map_or(Money::ZERO, |s| s.settings().free_shipping_from_cents),
            payments: crate::orders::model::Payment::offered(
                shop.is_some_and(|s| s.settings().cards_configured()),
            ),
            draft: None,
        }
    }

    /// For error pages, which must render even when the visitor could not be loaded.
    pub fn fallback(req: &Request<'_>) -> Chrome {
        Chrome::new(req, None, Lang::from_request_headers(req), None)
    }
}

#[derive(Serialize)]
struct Full<'a, T: Serialize> {
    #[serde(flatten)]
    chrome: &'a Chrome,
    #[serde(flatten)]
    page: T,
}

/// Request guard that assembles the shared context; handlers call `render` with their data.
pub struct PageCtx<'r> {
    pub visitor: &'r Visitor,
    chrome: Chrome,
    db: crate::site::db::LazyDb,
    /// Set when this page is the same for every visitor (anonymous, no message, GET).
    shared: Option<Shared<'r>>,
    /// A form of this page that came back after its token expired: shown once, by the page
    /// that renders (a page that only redirects passes it on).
    draft: Option<crate::site::csrf::Draft>,
    jar: &'r rocket::http::CookieJar<'r>,
}

impl PageCtx<'_> {
    pub fn lang(&self) -> Lang {
        self.visitor.lang
    }

    pub fn render<T: Serialize>(&self, name: &'static str, page: T) -> Html {
        if self.draft.is_some() {
            self.jar
                .remove(rocket::http::Cookie::build(crate::site::csrf::DRAFT_COOKIE).path("/"));
        }
        render_with(&self.chrome, name, page)
    }

    /// What a form posting to `action` carried when its token had expired: the page's
    /// handler fills the form with it (pages without a handler's help are filled by script).
    pub fn draft_for(&self, action: &str) -> Option<&crate::site::csrf::Draft> {
        self.draft.as_ref().filter(|d| d.action == action)
    }

    /// The header's cart badge, when the handler knows better than the guard did.
    pub fn set_cart_count(&mut self, count: i64) {
        self.chrome.cart_badge = cart_badge(self.visitor.lang, count);
    }

    /// The request's connection (taken now if no guard took it yet).
    pub async fn db(&self) -> AppResult<DbRef> {
        self.db.get().await.ok_or(crate::error::AppError::Busy)
    }

    /// This page from the [`page_cache`] when it is kept there and still current. Call it
    /// first; then, when it is `None`, load and [`PageCtx::render_shared`].
    pub async fn cached(&self) -> AppResult<Option<Html>> {
        let Some(shared) = &self.shared else {
            return Ok(None);
        };
        if let Some(page) = shared.cache.get(&shared.key, shared.version) {
            return Ok(Some(self.fill(&page)));
        }
        // Missing: render it, or wait for the request that renders it and serve its page.
        match shared.cache.lead_or_wait(&shared.key).await {
            Some(flight) => {
                *shared.flight.lock().unwrap_or_else(|e| e.into_inner()) = Some(flight);
                Ok(None)
            }
            None => Ok(shared
                .cache
                .get(&shared.key, shared.version)
                .map(|page| self.fill(&page))),
        }
    }

    /// Renders a page every visitor sees alike, keeps it (when [`PageCtx::cached`] was asked
    /// first) and serves it to this visitor.
    pub fn render_shared<T: Serialize>(&self, name: &'static str, page: T) -> Html {
        let Some(shared) = &self.shared else {
            return self.render(name, page);
        };
        let version = shared.version;
        let holed = Chrome {
            csrf: page_cache::CSRF_HOLE.to_string(),
            cart_badge: page_cache::BADGE_HOLE.to_string(),
            ..self.chrome.clone()
        };
        match shared.templates.render(
            name,
            Full {
                chrome: &holed,
                page: &page,
            },
        ) {
            Some((_, text)) if version > 0 => {
                let text: Arc<str> = Arc::from(text);
                shared
                    .cache
                    .put(shared.key.clone(), version, Arc::clone(&text));
                // Kept: the requests waiting for it may take it.
                drop(
                    shared
                        .flight
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take(),
                );
                self.fill(&text)
            }
            _ => self.render(name, page),
        }
    }

    fn fill(&self, page: &str) -> Html {
        Html::Stored(rocket::response::content::RawHtml(page_cache::fill(
            page,
            &self.chrome.csrf,
            &self.chrome.cart_badge,
        )))
    }
}

pub fn render_with<T: Serialize>(chrome: &Chrome, name: &'static str, page: T) -> Html {
    Html::Rendered(Template::render(name, Full { chrome, page }))
}

/// The header's cart link badge: the count for the eye, and what it means for screen readers
/// in words (an `aria-label` on a `span` is not allowed: HTML's ARIA rules).
fn cart_badge(lang: Lang, count: i64) -> String {
    format!(
        r#"<span class="badge" aria-hidden="true">{count}</span><span class="visually-hidden">{}</span>"#,
        tera::escape_html(&lang.t_count("nav-cart-count", count))
    )
}

/// Set on a visitor's browser once its cart has held something: the cart badge of visitors
/// without it is 0 without asking the database.
pub const CART_HINT_COOKIE: &str = "has_cart";

/// What a page kept for every visitor needs: its key, the version it is served at (read when
/// the context was built), where it is kept, and how to render it to text.
struct Shared<'r> {
    key: String,
    cache: &'r page_cache::PageCache,
    /// Held while this request renders the page for others waiting for it.
    flight: std::sync::Mutex<Option<page_cache::Flight<'r>>>,
    templates: rocket_dyn_templates::Metadata<'r>,
    version: u64,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PageCtx<'r> {
    type Error = ();

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, ()> {
        let visitor = try_outcome!(req.guard::<&Visitor>().await);
        let flash = match req.guard::<Option<FlashMessage<'_>>>().await {
            Outcome::Success(f) => f,
            _ => None,
        };
        // A form sent back after its token expired: shown filled on this page view only.
        let draft = match req.cookies().get(crate::site::csrf::DRAFT_COOKIE) {
            Some(cookie) if req.method() == rocket::http::Method::Get => {
                crate::site::csrf::Draft::decode(cookie.value())
            }
            _ => None,
        };
        let anonymous_get = flash.is_none()
            && draft.is_none()
            && visitor.user.is_none()
            && visitor.pending.is_none()
            && req.method() == rocket::http::Method::Get;
        let db = crate::site::db::LazyDb::of(req);
        // The version is read before the page's context is built: when it moved, the settings
        // are read again first, so a page kept at that version carries them.
        let shared = match (
            anonymous_get,
            req.rocket().state::<Arc<page_cache::PageCache>>(),
            req.rocket().state::<Arc<Shop>>(),
        ) {
            (true, Some(cache), Some(shop)) if shop.settings().page_cache => {
                let version = match cache.current(&db, shop).await {
                    Ok(v) => v,
                    Err(e) => return Outcome::Error((e.status(), ())),
                };
                let templates = match req.guard::<rocket_dyn_templates::Metadata<'_>>().await {
                    Outcome::Success(m) => m,
                    _ => return Outcome::Error((Status::InternalServerError, ())),
                };
                Some((cache, templates, version))
            }
            _ => None,
        };
        let mut chrome = Chrome::new(req, Some(visitor), visitor.lang, flash);
        chrome.draft = draft.as_ref().map(|d| DraftView {
            action: d.action.clone(),
            json: d.script_json(),
        });
        // The header's cart badge: counted with the session for signed-in visitors, by one
        // indexed query for visitors whose cart has held something, 0 for the others.
        let count = match visitor.cart_count {
            Some(n) => n,
            None if req.cookies().get(CART_HINT_COOKIE).is_none() => 0,
            None => {
                let Some(db) = db.get().await else {
                    return Outcome::Error((Status::ServiceUnavailable, ()));
                };
                let owner = cart::CartOwner::of(visitor);
                match db.run(move |c| cart::count(c, &owner)).await {
                    Ok(n) => n,
                    Err(e) => {
                        log::error!("cart count failed: {e}");
                        // 503 when the database went away under the request.
                        return Outcome::Error((crate::error::AppError::Db(e).status(), ()));
                    }
                }
            }
        };
        chrome.cart_badge = cart_badge(visitor.lang, count);
        let shared = shared.map(|(cache, templates, version)| Shared {
            key: format!("{}|{}|{}", chrome.lang, chrome.year, req.uri()),
            cache,
            flight: std::sync::Mutex::new(None),
            templates,
            version,
        });
        Outcome::Success(PageCtx {
            visitor,
            chrome,
            db,
            shared,
            draft,
            jar: req.cookies(),
        })
    }
}

/// Pagination parameters are bounded: page 1 to 10 000.
pub fn page_number(page: Option<i64>) -> i64 {
    page.unwrap_or(1).clamp(1, 10_000)
}

/// A page of results and the numbers a pager needs.
#[derive(Debug, Serialize)]
pub struct Paged<T: Serialize> {
    pub items: Vec<T>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl<T: Serialize> Paged<T> {
    pub fn new(items: Vec<T>, page: i64, per_page: i64, total: i64) -> Paged<T> {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Paged {
            items,
            page,
            pages,
            total,
        }
    }
}

impl<T: Serialize> Paged<T> {
    /// A page past the last one of a non-empty list (an old link, a typed number): the last
    /// page is where the visitor should be, rather than "no products" under a count of ten.
    pub fn past_the_end(&self) -> Option<i64> {
        (self.total > 0 && self.page > self.pages).then_some(self.pages)
    }
}

/// The error codes that have their own message; others get a general one.
pub fn error_kind(status: Status) -> &'static str {
    match status.code {
        400 => "400",
        403 => "403",
        404 => "404",
        413 => "413",
        422 => "422",
        503 => "503",
        500..=599 => "500",
        _ => "other",
    }
}

/// Builds `?a=1&b=x&` (values percent-encoded, empty ones left out) for pager links that keep
/// the list's filters.
pub fn pager_base(pairs: &[(&str, Option<String>)]) -> String {
    use rocket::http::RawStr;
    let mut s = String::from("?");
    for (k, v) in pairs {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            s.push_str(k);
            s.push('=');
            s.push_str(
                &RawStr::new(v)
                    .percent_encode()
                    .to_string()
                    .replace('&', "%26"),
            );
            s.push('&');
        }
    }
    s
}
