//! Error pages: 401 sends the visitor to the login page and back; the others render a page
//! in the visitor's language.

use rocket::http::Status;
use rocket::request::{Outcome, Request};
use rocket::response::Redirect;
use rocket::{catch, catchers, uri, Catcher};
use serde::Serialize;

use crate::site::error::Incident;
use crate::site::page::error_kind;
use crate::site::page::render_with;
use crate::site::page::Chrome;
use crate::site::page::Html;
use crate::site::page::PageCtx;

#[derive(Serialize)]
struct ErrorPage {
    code: u16,
    kind: &'static str,
    incident: Option<String>,
    needs_second_factor: bool,
}

async fn error_page(status: Status, req: &Request<'_>) -> Html {
    let incident = req.local_cache(Incident::default).0.clone();
    let page = ErrorPage {
        code: status.code,
        kind: error_kind(status),
        incident,
        needs_second_factor: req
            .local_cache(crate::site::visitor::NeedsSecondFactor::default)
            .0,
    };
    match req.guard::<PageCtx<'_>>().await {
        Outcome::Success(ctx) => ctx.render("errors/page", page),
        _ => render_with(&Chrome::fallback(req), "errors/page", page),
    }
}

#[catch(401)]
fn unauthorized(req: &Request<'_>) -> Redirect {
    let next = req.uri().to_string();
    Redirect::to(uri!(crate::site::account::login::login_page(
        next = Some(next)
    )))
}

/// A sensitive action without a recent password confirmation: confirm, then come back (to
/// the page itself for a GET, to the page the form was on for a POST).
#[catch(428)]
fn confirm_first(req: &Request<'_>) -> Redirect {
    let next = if req.method() == rocket::http::Method::Get {
        req.uri().to_string()
    } else {
        req.headers()
            .get_one("Referer")
            .and_then(|r| rocket::http::uri::Absolute::parse(r).ok())
            .map(|u| u.path().to_string())
            .unwrap_or_else(|| "/admin".to_string())
    };
    Redirect::to(uri!(crate::site::account::two_factor::confirm_page(
        next = Some(crate::site::csrf::safe_next(Some(&next)))
    )))
}

/// A form posted from this site with a token that is no longer valid (a session that expired
/// while the page stayed open) goes back to the page it was on — filled again with what was
/// typed, passwords aside, and a message at its top (see `csrf::Draft`). Any other 403 is
/// the error page.
#[catch(403)]
async fn forbidden(req: &Request<'_>) -> Result<Redirect, (Status, Html)> {
    let expired = req.local_cache(crate::site::csrf::Expired::default);
    let (Some(draft), Some(settings)) = (
        expired.0.as_ref(),
        req.rocket().state::<crate::config::Settings>(),
    ) else {
        return Err((Status::Forbidden, error_page(Status::Forbidden, req).await));
    };
    let mut cookie =
        crate::site::visitor::cookie(crate::site::csrf::DRAFT_COOKIE, draft.encode(), settings);
    cookie.set_max_age(rocket::time::Duration::minutes(10));
    req.cookies().add(cookie);
    Ok(Redirect::to(form_page(req, &draft.action)))
}

/// The page a form was on: the `Referer` when it is this site, else the form's own address
/// when a page answers there (most forms post to the page that shows them), else the home
/// page.
fn form_page(req: &Request<'_>, action: &str) -> String {
    let host = req.headers().get_one("Host").unwrap_or_default();
    let referred = req
        .headers()
        .get_one("Referer")
        .and_then(|r| rocket::http::uri::Absolute::parse(r).ok())
        .filter(|u| {
            u.authority()
                .is_some_and(|a| !host.is_empty() && a.to_string().eq_ignore_ascii_case(host))
        })
        .map(|u| match u.query() {
            Some(q) => format!("{}?{}", u.path(), q),
            None => u.path().to_string(),
        });
    let page = referred.or_else(|| has_page(req, action).then(|| action.to_string()));
    crate::site::csrf::safe_next(page.as_deref())
}

/// Whether a GET route with no parameter answers at exactly `path` (a route with one could
/// refuse the address, or be a catch-all).
fn has_page(req: &Request<'_>, path: &str) -> bool {
    req.rocket().routes().any(|route| {
        route.method == rocket::http::Method::Get
            && route.uri.query().is_none()
            && !route.uri.path().contains('<')
            && route.uri.path() == path
    })
}

#[catch(default)]
async fn default(status: Status, req: &Request<'_>) -> (Status, Html) {
    (status, error_page(status, req).await)
}

pub fn all() -> Vec<Catcher> {
    catchers![unauthorized, confirm_first, forbidden, default]
}
